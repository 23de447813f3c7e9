import { openDb } from '../../db/client'
import { migrate } from '../../db/migrate'
import { consoleLogger } from '../../context'
import { createChannels, readChannelConfigs, readNotifySettings } from '../config'
import { writeCursor } from '../cursor'
import { addSubscription } from '../subscriptions'
import { insertFlags } from './harness'
import { beijingDateTimeMs } from '../../beijingTime'

/**
 * Child process of the kill -9 test (chDB: one process per data directory). Fills DATA_DIR with
 * FLAGS new critical flags across the counties and a city-wide subscription for every channel in
 * NOTIFY_CHANNELS, with the flag cursor at the start of time so the server announces all of them.
 */
async function main(): Promise<void> {
  const db = await openDb({ database: 'ykt', dataDir: process.env.DATA_DIR! })
  await migrate(db)
  const { channels } = createChannels(readChannelConfigs(), readNotifySettings(process.env, 3000), consoleLogger)
  for (const channel of channels.values()) await addSubscription(db, channels, { channel: channel.id, scope: '511000', minSeverity: 'warn', kinds: ['flag'] }, 'test')
  await writeCursor(db, 'flags', beijingDateTimeMs(0))
  const counties = ['511002', '511011', '511024', '511025', '511083']
  const n = Number(process.env.FLAGS)
  await insertFlags(db, Array.from({ length: n }, (_, i) => ({ id: `K${String(i).padStart(5, '0')}`, county: counties[i % 5] })))
  await db.close()
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error)
  process.exit(1)
})
