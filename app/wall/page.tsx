import { CITY_CODE, isKnownRegion } from '../../geo/regions'
import { OwnScope } from '../components/OwnScope'
import { WallAuto } from '../components/WallAuto'
import { parseFitMode } from '../lib/fit'
import { first, flag, type Query } from '../lib/query'
import { parseRotation } from '../lib/rotation'

export const metadata = { title: '监管大屏 · 轮播' }

/**
 * /wall — the unattended wall: rotates themes (`?themes=overview,alerts`, `?dwell=20`),
 * `?kiosk` hides controls and cursor, `?screen=east` names the screen, `?fit=contain|width|height`,
 * `?token=` a wall display token, `?jump=0` disables the detour to critical flags. A screen as wide
 * as two 16:9 walls shows the tiles of /wall/tiles by itself (`?tiles=off` keeps one wall).
 */
export default async function WallPage({ searchParams }: { searchParams: Promise<Query> }) {
  const query = await searchParams
  const region = first(query, 'region')
  const regionGiven = Boolean(region && isKnownRegion(region))
  const plan = parseRotation(first(query, 'themes'), first(query, 'dwell'))
  // what every tile passes on, as /wall/tiles does
  const passed = new URLSearchParams()
  for (const key of ['token', 'kiosk', 'dwell', 'region', 'reload']) {
    const value = first(query, key)
    if (value !== undefined) passed.set(key, value)
  }
  return (
    <>
    <OwnScope region={regionGiven ? region! : CITY_CODE} regionGiven={regionGiven} />
    <WallAuto
      tiles={flag(query, 'tiles', true)}
      passed={passed.toString()}
      themes={plan.themes}
      plan={plan}
      rotate
      region={region && isKnownRegion(region) ? region : CITY_CODE}
      token={first(query, 'token')}
      kiosk={flag(query, 'kiosk')}
      fit={parseFitMode(first(query, 'fit'))}
      screen={first(query, 'screen')}
      jump={flag(query, 'jump', true)}
      reloadDaily={flag(query, 'reload', true)}
    />
    </>
  )
}
