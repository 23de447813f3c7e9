import { checkDeploymentSecrets, loadConfig, ConfigError } from './config'
import { DbStartError } from './db/client'
import { MigrationError } from './db/migrate'
import { startApp } from './app'
import { prepareDemo, startDemoFeed } from './demo'
import { firstLine } from './errorLine'

/**
 * `npm start`: the wall on one port. Configuration and start-up faults end the process with one
 * line saying what is wrong.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  checkDeploymentSecrets(config)
  const dev = process.argv.includes('--dev')
  const app = await startApp(config, { withPages: !process.argv.includes('--api-only'), dev, prepare: prepareDemo })
  const stopFeed = startDemoFeed(app)
  console.log(`[ykt] wall on http://localhost:${new URL(app.url).port} (engine ${app.ctx.db.engine}, database ${app.ctx.db.database})`)
  let stopping = false
  const stop = async (signal: string) => {
    // A process manager may signal the whole group (npm relays the same signal): one stop is enough.
    if (stopping) return console.log(`[ykt] ${signal} again: already stopping`)
    stopping = true
    console.log(`[ykt] ${signal}: stopping (ingests in flight get ${SHUTDOWN_GRACE_MS / 1000} s)`)
    // Should closing hang, leave before the supervisor's own SIGKILL (docker stop: 10 s).
    setTimeout(() => {
      console.error('[ykt] shutdown did not finish in time; exiting')
      process.exit(1)
    }, SHUTDOWN_GRACE_MS + 1500).unref()
    stopFeed()
    const { drained, inFlight } = await app.shutdown({ graceMs: SHUTDOWN_GRACE_MS })
    console.log(`[ykt] stopped: ${inFlight} ingest request(s) were in flight, ${drained ? 'all answered' : 'not all finished in time'}`)
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

/** Below docker stop's 10 s, so the process ends by itself rather than by SIGKILL. */
const SHUTDOWN_GRACE_MS = 8000

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DbStartError || error instanceof MigrationError
  const message = firstLine(error)
  console.error(`[ykt] cannot start: ${known ? message : `unexpected error: ${message}`}`)
  process.exit(1)
})
