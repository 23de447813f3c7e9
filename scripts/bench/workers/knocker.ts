/**
 * Many sockets knocking at the server at once, in a process of its own (its descriptors are its
 * own, not the server's): each a Socket.IO client over WebSocket with the display token, as a
 * wall screen connects. Sockets that get in are held until `close`.
 */
import { io, type Socket } from 'socket.io-client'
import { SOCKETS_FULL } from '../../../dashboards/liveContract'
import { serveRequests } from '../children'

type Outcome = 'connected' | 'full' | 'dropped'

const held: Socket[] = []

function knock(url: string, token: string): Promise<Outcome> {
  const socket = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 120_000 })
  return new Promise((resolve) => {
    socket.once('connect', () => {
      held.push(socket)
      resolve('connected')
    })
    socket.once('connect_error', (error) => {
      socket.close()
      resolve(error.message === SOCKETS_FULL ? 'full' : 'dropped')
    })
  })
}

/** `count` sockets, `wave` at a time (all of a wave at once), so a wave fits the listen backlog. */
async function knockAll(params: { url: string; token: string; count: number; wave: number }) {
  const counts = { connected: 0, full: 0, dropped: 0 }
  for (let start = 0; start < params.count; start += params.wave) {
    const size = Math.min(params.wave, params.count - start)
    const outcomes = await Promise.all(Array.from({ length: size }, () => knock(params.url, params.token)))
    for (const outcome of outcomes) counts[outcome] += 1
  }
  return counts
}

/** Sockets still connected now (a held socket the server dropped later is not). */
async function stillConnected() {
  return held.filter((socket) => socket.connected).length
}

async function close() {
  for (const socket of held.splice(0)) socket.close()
}

serveRequests({ knock: knockAll, stillConnected, close })
