import { io as connectClient, type Socket } from 'socket.io-client'

export function connect(url: string, token: string): Promise<Socket> {
  const socket = connectClient(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (error) => {
      socket.close()
      reject(error)
    })
  })
}

/** Resolves with the next `event` payload that satisfies `accept`, or rejects after `ms`. */
export function nextEvent<T>(socket: Socket, event: string, ms = 10_000, accept: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener)
      reject(new Error(`no ${event} within ${ms} ms`))
    }, ms)
    const listener = (payload: T) => {
      if (!accept(payload)) return
      clearTimeout(timer)
      socket.off(event, listener)
      resolve(payload)
    }
    socket.on(event, listener)
  })
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `condition` every 20 ms until it holds; throws after `ms`. */
export async function waitFor(condition: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`)
    await sleep(20)
  }
}

/**
 * startApp already runs the product's hub on its own server (server/parts.ts). Tests and the
 * bench need a hub they hold (own registry, heartbeat, stats, markChanged): they attach one to a
 * second HTTP server on the same AppContext, so ingest events reach it exactly as they reach the
 * app's hub.
 */
export async function attachHub(
  ctx: import('../../context').AppContext,
  dashboards: import('../../../dashboards/types').Dashboard[],
  options: import('../hub').LiveHubOptions = {},
): Promise<{ hub: import('../hub').LiveHub; url: string }> {
  const http = await import('node:http')
  const { startLiveHub } = await import('../hub')
  const server = http.createServer((_req, res) => {
    res.writeHead(404)
    res.end()
  })
  const hub = startLiveHub(ctx, server, dashboards, options)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { hub, url: `http://127.0.0.1:${port}` }
}

/** Waits until every live hub on the context (the app's and any attached) has its rooms warm. */
export async function waitWarm(ctx: import('../../context').AppContext, ms = 60_000): Promise<void> {
  await waitFor(
    () =>
      ctx.healthExtras
        .map((extra) => extra())
        .filter(([name]) => name === 'live')
        .every(([, live]) => (live as { warming: boolean }).warming === false),
    ms,
  )
}
