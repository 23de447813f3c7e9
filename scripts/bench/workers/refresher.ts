/**
 * Full room refreshes timed from a screen: subscribing to a room the hub does not keep warm (a
 * village; warm rooms answer from memory) makes it compute every panel of that room at once
 * (nothing is shown yet, so no panel is held back by its minimum refresh interval) on the
 * subscribe path, which has no debounce. Subscribe → snapshot is one full refresh. Each room is
 * left again right after, so the hub lets it go.
 */
import { io, type Socket } from 'socket.io-client'
import { serveRequests } from '../children'

let socket: Socket | undefined

async function refresh(params: { url: string; token: string; rooms: Array<{ dashboard: string; region: string }> }) {
  socket ??= await new Promise<Socket>((resolve, reject) => {
    const opened = io(params.url, { path: '/socket.io', auth: { token: params.token }, transports: ['websocket'], forceNew: true, reconnection: false })
    opened.once('connect', () => resolve(opened))
    opened.once('connect_error', reject)
  })
  const samples: Array<{ room: string; ms: number; panels: number; ok: boolean }> = []
  for (const room of params.rooms) {
    const started = performance.now()
    const ack = await socket.timeout(600_000).emitWithAck('subscribe', room)
    const ms = performance.now() - started
    samples.push({ room: `${room.dashboard}:${room.region}`, ms, panels: ack.ok ? Object.keys(ack.panels).length : 0, ok: ack.ok })
    await socket.timeout(60_000).emitWithAck('unsubscribe', room)
  }
  return samples
}

async function close() {
  socket?.close()
  socket = undefined
}

serveRequests({ refresh, close })
