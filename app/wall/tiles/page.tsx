import { parseRotation } from '../../lib/rotation'
import { first, type Query } from '../../lib/query'
import { WallTiles } from '../../components/WallTiles'

export const metadata = { title: '监管大屏 · 拼接屏' }

const count = (value: string | undefined) => {
  const n = Number(value)
  return Number.isInteger(n) && n >= 1 && n <= 8 ? n : undefined
}

/**
 * /wall/tiles — one browser on a wall several screens wide (5760×1080 strips, LED walls): a grid
 * of /wall rotations, each at the design's proportions, neighbours on different themes. Columns
 * and rows follow the screen's shape unless `?cols=` / `?rows=` say otherwise; the other /wall
 * parameters (`token`, `kiosk`, `themes`, `dwell`, `region`) pass through to every tile.
 */
export default async function WallTilesPage({ searchParams }: { searchParams: Promise<Query> }) {
  const query = await searchParams
  const passed = new URLSearchParams()
  for (const key of ['token', 'kiosk', 'dwell', 'region', 'reload']) {
    const value = first(query, key)
    if (value !== undefined) passed.set(key, value)
  }
  return (
    <WallTiles
      themes={parseRotation(first(query, 'themes'), undefined).themes}
      passed={passed.toString()}
      cols={count(first(query, 'cols'))}
      rows={count(first(query, 'rows'))}
    />
  )
}
