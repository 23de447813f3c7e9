import { CITY_CODE, isKnownRegion } from '../../geo/regions'
import { OwnScope } from '../components/OwnScope'
import { WallScreen } from '../components/WallScreen'
import { parseFitMode } from '../lib/fit'
import { first, flag, type Query } from '../lib/query'
import { parseRotation } from '../lib/rotation'

export const metadata = { title: '监管大屏 · 轮播' }

/**
 * /wall — the unattended wall: rotates themes (`?themes=overview,alerts`, `?dwell=20`),
 * `?kiosk` hides controls and cursor, `?screen=east` names the screen, `?fit=contain|width|height`,
 * `?token=` a wall display token, `?jump=0` disables the detour to critical flags.
 */
export default async function WallPage({ searchParams }: { searchParams: Promise<Query> }) {
  const query = await searchParams
  const region = first(query, 'region')
  const regionGiven = Boolean(region && isKnownRegion(region))
  return (
    <>
    <OwnScope region={regionGiven ? region! : CITY_CODE} regionGiven={regionGiven} />
    <WallScreen
      plan={parseRotation(first(query, 'themes'), first(query, 'dwell'))}
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
