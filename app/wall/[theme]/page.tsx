import { notFound } from 'next/navigation'
import { isThemeId } from '../../../dashboards'
import { CITY_CODE, isKnownRegion } from '../../../geo/regions'
import { WallScreen } from '../../components/WallScreen'
import { parseFitMode } from '../../lib/fit'
import { first, flag, type Query } from '../../lib/query'

/** /wall/[theme] — one theme live, optionally for a region (`?region=511025`). */
export default async function WallThemePage({ params, searchParams }: { params: Promise<{ theme: string }>; searchParams: Promise<Query> }) {
  const { theme } = await params
  if (!isThemeId(theme)) notFound()
  const query = await searchParams
  const region = first(query, 'region')
  return (
    <WallScreen
      plan={{ themes: [theme] }}
      rotate={false}
      region={region && isKnownRegion(region) ? region : CITY_CODE}
      token={first(query, 'token')}
      kiosk={flag(query, 'kiosk')}
      fit={parseFitMode(first(query, 'fit'))}
      screen={first(query, 'screen')}
      jump={flag(query, 'jump', false)}
      reloadDaily={flag(query, 'reload', true)}
    />
  )
}
