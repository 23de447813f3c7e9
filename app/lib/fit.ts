/**
 * Fitting the 1920×1080 design canvas to any wall. We scale layout boxes (CSS sizes and font
 * sizes through `--u`, one design pixel) instead of a CSS transform on a bitmap, so text and
 * charts render at the screen's real resolution: crisp on 3840×2160, never stretched on strips.
 */
export const DESIGN_WIDTH = 1920
export const DESIGN_HEIGHT = 1080

export type FitMode = 'contain' | 'width' | 'height'

export interface Fit {
  /** screen pixels per design pixel */
  scale: number
  width: number
  height: number
  /** letterbox offsets (0 when the canvas overflows and the page scrolls) */
  left: number
  top: number
}

export function parseFitMode(value: string | undefined | null): FitMode {
  return value === 'width' || value === 'height' ? value : 'contain'
}

export function computeFit(viewWidth: number, viewHeight: number, mode: FitMode): Fit {
  const byWidth = viewWidth / DESIGN_WIDTH
  const byHeight = viewHeight / DESIGN_HEIGHT
  const scale = mode === 'width' ? byWidth : mode === 'height' ? byHeight : Math.min(byWidth, byHeight)
  const width = Math.floor(DESIGN_WIDTH * scale)
  const height = Math.floor(DESIGN_HEIGHT * scale)
  return { scale, width, height, left: Math.max(0, Math.floor((viewWidth - width) / 2)), top: Math.max(0, Math.floor((viewHeight - height) / 2)) }
}
