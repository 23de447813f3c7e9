import { notFound } from 'next/navigation'
import { isThemeId } from '../../../dashboards'
import { CITY_CODE, isKnownRegion } from '../../../geo/regions'
import { ReviewBoard } from '../../components/ReviewBoard'
import { first, type Query } from '../../lib/query'

export const metadata = { title: '专题研判' }

/** /review/[theme]?year=2024&project=P26&dept=民政&region=511025 (no region: the signed-in user's own scope) */
export default async function ReviewPage({ params, searchParams }: { params: Promise<{ theme: string }>; searchParams: Promise<Query> }) {
  const { theme } = await params
  if (!isThemeId(theme)) notFound()
  const query = await searchParams
  const region = first(query, 'region')
  const year = first(query, 'year')
  return (
    <ReviewBoard
      theme={theme}
      token={first(query, 'token')}
      filters={{
        region: region && isKnownRegion(region) ? region : CITY_CODE,
        regionGiven: Boolean(region && isKnownRegion(region)),
        year: year && /^20\d{2}$/.test(year) ? year : undefined,
        project: first(query, 'project')?.slice(0, 64) || undefined,
        dept: first(query, 'dept')?.slice(0, 32) || undefined,
      }}
    />
  )
}
