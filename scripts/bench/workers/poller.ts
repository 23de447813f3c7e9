/**
 * The polling alternative the live hub replaces, measured: walls that each fetch every panel of
 * their theme over HTTP once per tick (GET /api/metrics/:name, signed in as a leader, since walls
 * have no metric access), in a process of their own. A poll that takes longer than the tick
 * starts the next one late, as a browser's setInterval with await would.
 */
import { serveRequests } from '../children'
import { sleep } from '../server'
import { signIn } from '../signIn'

interface PollerParams {
  url: string
  username: string
  password: string
  /** one entry per polling wall: the panel requests of its theme, as paths with query */
  walls: string[][]
  tickMs: number
  durationMs: number
}

async function poll(params: PollerParams) {
  const cookie = await signIn(params.url, params.username, params.password)
  const responseMs: number[] = []
  let issued = 0
  let answered = 0
  let failed = 0
  let lateTicks = 0
  let ticks = 0
  const started = Date.now()
  const until = started + params.durationMs
  await Promise.all(
    params.walls.map(async (paths, wall) => {
      await sleep((wall * params.tickMs) / params.walls.length) // walls do not start in step
      while (Date.now() < until) {
        const tickStarted = Date.now()
        ticks += 1
        await Promise.all(
          paths.map(async (path) => {
            issued += 1
            const sentAt = Date.now()
            try {
              const response = await fetch(`${params.url}${path}`, { headers: { cookie } })
              await response.arrayBuffer()
              if (response.status === 200) {
                answered += 1
                responseMs.push(Date.now() - sentAt)
              } else failed += 1
            } catch {
              failed += 1
            }
          }),
        )
        const took = Date.now() - tickStarted
        if (took > params.tickMs) lateTicks += 1
        await sleep(Math.max(0, params.tickMs - took))
      }
    }),
  )
  return { issued, answered, failed, ticks, lateTicks, responseMs, seconds: (Date.now() - started) / 1000 }
}

serveRequests({ poll })
