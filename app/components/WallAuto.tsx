'use client'

import type { ThemeId } from '../../dashboards/types'
import { tilesFit } from '../lib/tiles'
import { useViewport } from './useViewport'
import { WallScreen, type WallScreenProps } from './WallScreen'
import { WallTiles } from './WallTiles'

/**
 * /wall picks its layout from the screen: as wide as two 16:9 walls or more, it shows the tiles
 * of /wall/tiles (each tile a /wall of its own); otherwise one wall. `?tiles=off` keeps one wall.
 */
export function WallAuto({ tiles, passed, themes, ...screen }: WallScreenProps & { tiles: boolean; passed: string; themes: ThemeId[] }) {
  const wide = useViewport((width, height) => tilesFit(width, height), [])
  if (wide === null) return <div className="wall-viewport" />
  if (wide && tiles) return <WallTiles themes={themes} passed={passed} />
  return <WallScreen {...screen} />
}
