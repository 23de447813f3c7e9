import { notFound } from 'next/navigation'
import { isKnownRegion } from '../../../geo/regions'
import { RegionDrill } from '../../components/RegionDrill'
import { first, type Query } from '../../lib/query'

export const metadata = { title: '区域穿透' }

/** /region/[code] — drill from the city to a village and its payment records (`?flag=` opens a flag's records). */
export default async function RegionPage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<Query> }) {
  const { code } = await params
  if (!isKnownRegion(code)) notFound()
  const query = await searchParams
  const flag = first(query, 'flag')
  return <RegionDrill key={code} code={code} token={first(query, 'token')} flag={flag && /^[\w.:-]{1,64}$/.test(flag) ? flag : undefined} />
}
