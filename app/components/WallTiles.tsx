'use client'

import type { ThemeId } from '../../dashboards/types'
import { rotatedThemes, tileGrid } from '../lib/tiles'
import { useViewport } from './useViewport'

/**
 * The tiles of /wall/tiles: each an ordinary /wall page in a frame (its own socket, freshness,
 * banner and daily reload), so a tile behaves exactly as a single wall does. Only the first tile
 * detours to a critical flag; the others keep their rotation, so the whole strip never turns into
 * one theme.
 */
export function WallTiles({ themes, passed, cols, rows }: { themes: ThemeId[]; passed: string; cols?: number; rows?: number }) {
  const grid = useViewport((width, height) => tileGrid(width, height, { cols, rows }), [cols, rows])
  if (!grid) return <div className="wall-viewport" />
  const tiles = Array.from({ length: grid.cols * grid.rows }, (_, i) => i)
  return (
    <div className="wall-viewport wall-tiles" style={{ gridTemplateColumns: `repeat(${grid.cols}, 1fr)`, gridTemplateRows: `repeat(${grid.rows}, 1fr)` }}>
      {tiles.map((i) => {
        const query = new URLSearchParams(passed)
        query.set('themes', rotatedThemes(themes, i).join(','))
        query.set('screen', String(i + 1))
        if (i > 0) query.set('jump', '0')
        return <iframe key={i} title={`屏幕 ${i + 1}`} src={`/wall?${query.toString()}`} data-tile={i + 1} />
      })}
    </div>
  )
}
