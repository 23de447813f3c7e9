import { DESIGN_HEIGHT, DESIGN_WIDTH } from './fit'

/**
 * A strip or LED wall several screens wide shows several walls side by side, each at the design's
 * 16:9, instead of one letterboxed wall with empty wings (5760×1080: three 1920×1080 walls).
 */
export function tileGrid(viewWidth: number, viewHeight: number, requested?: { cols?: number; rows?: number }): { cols: number; rows: number } {
  const design = DESIGN_WIDTH / DESIGN_HEIGHT
  const aspect = viewWidth / Math.max(1, viewHeight)
  const cols = requested?.cols ?? Math.max(1, Math.round(aspect / design))
  const rows = requested?.rows ?? Math.max(1, Math.round(design / aspect))
  return { cols: Math.min(cols, 8), rows: Math.min(rows, 8) }
}

/** Tile `index` starts its rotation `index` themes further on, so neighbours never show the same theme. */
export function rotatedThemes<T>(themes: readonly T[], index: number): T[] {
  const n = themes.length
  return themes.map((_, i) => themes[(i + index) % n])
}

/**
 * /wall on a screen that holds two or more 16:9 walls side by side (7680×2160, 6656×1792, 5760×1080)
 * shows tiles by itself: one letterboxed wall would leave half of it black. Tall screens get the
 * portrait arrangement instead, so only width counts here.
 */
export function tilesFit(viewWidth: number, viewHeight: number): boolean {
  return viewWidth > viewHeight && tileGrid(viewWidth, viewHeight).cols >= 2
}
