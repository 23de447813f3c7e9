/**
 * The polling alternative the live hub replaces, measured: walls that each fetch every panel of
 * their theme over HTTP once per tick (GET /api/metrics/:name, signed in as a leader, since walls
 * have no metric access), in a process of their own. A poll that takes longer than the tick
 * starts the next one late, as a browser's setInterval with await would.
 */
import { serveRequests } from '../children'
import { sleep } from '../server'
import { signIn } from '../signIn'

const GRACE_MS = 10_000

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
  let abandoned = 0
  let lateTicks = 0
  let ticks = 0
  const started = Date.now()
  const until = started + params.durationMs
  // Requests still unanswered GRACE_MS after the last tick are given up (counted, not timed): a
  // saturated server would otherwise hold the phase for minutes.
  const giveUp = new AbortController()
  const giveUpTimer = setTimeout(() => giveUp.abort(), params.durationMs + GRACE_MS)
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
              const response = await fetch(`${params.url}${path}`, { headers: { cookie }, signal: giveUp.signal })
              await response.arrayBuffer()
              if (response.status === 200) {
                answered += 1
                responseMs.push(Date.now() - sentAt)
              } else failed += 1
            } catch {
              if (giveUp.signal.aborted) abandoned += 1
              else failed += 1
            }
          }),
        )
        if (giveUp.signal.aborted) break
        const took = Date.now() - tickStarted
        if (took > params.tickMs) lateTicks += 1
        await sleep(Math.max(0, params.tickMs - took))
      }
    }),
  )
  clearTimeout(giveUpTimer)
  return { issued, answered, failed, abandoned, ticks, lateTicks, responseMs, seconds: (Date.now() - started) / 1000 }
}

serveRequests({ poll })
