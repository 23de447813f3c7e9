/**
 * Wall screens in a process of their own: each a Socket.IO client over WebSocket with the display
 * token, subscribed to one (theme, region) room as /wall does. For every screen it keeps the
 * moments its room's newest payment time (asOf, carried in every update) moved forward, stamped
 * on arrival: the bench matches them with the batches' marker times.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'
import { serveRequests } from '../children'

interface Screen {
  socket: Socket
  room: string
  newest: number
  /** [arrival ms, asOf ms] whenever asOf moved forward */
  advances: Array<[number, number]>
  updates: number
}

const screens: Screen[] = []
const loop = monitorEventLoopDelay({ resolution: 5 })
loop.enable()

async function connect(params: { url: string; token: string; rooms: Array<{ dashboard: string; region: string }> }) {
  let failed = 0
  await Promise.all(
    params.rooms.map(async ({ dashboard, region }) => {
      const socket = io(params.url, { path: '/socket.io', auth: { token: params.token }, transports: ['websocket'], forceNew: true, reconnection: false })
      const screen: Screen = { socket, room: `${dashboard}:${region}`, newest: 0, advances: [], updates: 0 }
      const seen = (asOf: string | null) => {
        const at = Date.now()
        const ms = asOf ? Date.parse(asOf) : 0
        if (ms > screen.newest) {
          screen.newest = ms
          screen.advances.push([at, ms])
        }
      }
      socket.on('update', (update: { asOf: string | null }) => {
        screen.updates += 1
        seen(update.asOf)
      })
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve)
          socket.once('connect_error', reject)
        })
        const ack = await socket.timeout(600_000).emitWithAck('subscribe', { dashboard, region })
        if (!ack.ok) throw new Error(ack.error)
        seen(ack.asOf)
        screens.push(screen)
      } catch {
        failed += 1
        socket.close()
      }
    }),
  )
  loop.reset()
  return { connected: screens.length, failed }
}

/** What each screen saw since the last collect; the process's own event-loop delay tells whether it kept up. */
async function collect() {
  const result = {
    screens: screens.map((screen) => ({ room: screen.room, advances: screen.advances, updates: screen.updates, connected: screen.socket.connected })),
    clientLoopP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
  }
  for (const screen of screens) {
    screen.advances = []
    screen.updates = 0
  }
  loop.reset()
  return result
}

/** Each screen's room and the newest asOf it has shown (ms). */
async function newest() {
  return screens.map((screen) => ({ room: screen.room, newest: screen.newest }))
}

async function close() {
  for (const screen of screens.splice(0)) screen.socket.close()
}

serveRequests({ connect, collect, newest, close })
