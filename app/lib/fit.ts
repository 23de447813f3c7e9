/**
 * Fitting the 1920×1080 design canvas to any wall. We scale layout boxes (CSS sizes and font
 * sizes through `--u`, one design pixel) instead of a CSS transform on a bitmap, so text and
 * charts render at the screen's real resolution: crisp on 3840×2160, never stretched on strips.
 */
export const DESIGN_WIDTH = 1920
export const DESIGN_HEIGHT = 1080

export type FitMode = 'contain' | 'width' | 'height'

/** A portrait (9:16) screen gets each theme's portrait arrangement on a 1080×1920 canvas. */
export type Orientation = 'landscape' | 'portrait'
export const orientationOf = (viewWidth: number, viewHeight: number): Orientation => (viewHeight > viewWidth ? 'portrait' : 'landscape')

export interface Fit {
  /** screen pixels per design pixel */
  scale: number
  width: number
  height: number
  /** letterbox offsets (0 when the canvas overflows and the page scrolls) */
  left: number
  top: number
  orientation: Orientation
}

export function parseFitMode(value: string | undefined | null): FitMode {
  return value === 'width' || value === 'height' ? value : 'contain'
}

export function computeFit(viewWidth: number, viewHeight: number, mode: FitMode, orientation: Orientation = 'landscape'): Fit {
  const [designWidth, designHeight] = orientation === 'portrait' ? [DESIGN_HEIGHT, DESIGN_WIDTH] : [DESIGN_WIDTH, DESIGN_HEIGHT]
  const byWidth = viewWidth / designWidth
  const byHeight = viewHeight / designHeight
  const scale = mode === 'width' ? byWidth : mode === 'height' ? byHeight : Math.min(byWidth, byHeight)
  const width = Math.floor(designWidth * scale)
  const height = Math.floor(designHeight * scale)
  return { scale, width, height, left: Math.max(0, Math.floor((viewWidth - width) / 2)), top: Math.max(0, Math.floor((viewHeight - height) / 2)), orientation }
}
