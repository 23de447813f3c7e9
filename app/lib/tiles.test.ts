import { describe, expect, it } from 'vitest'
import { rotatedThemes, tileGrid, tilesFit } from './tiles'

describe('tiled walls', () => {
  it('fits as many 16:9 walls as the screen holds', () => {
    expect(tileGrid(1920, 1080)).toEqual({ cols: 1, rows: 1 })
    expect(tileGrid(3840, 2160)).toEqual({ cols: 1, rows: 1 })
    expect(tileGrid(5760, 1080)).toEqual({ cols: 3, rows: 1 })
    expect(tileGrid(6656, 1792)).toEqual({ cols: 2, rows: 1 })
    expect(tileGrid(1080, 3840)).toEqual({ cols: 1, rows: 6 })
    expect(tileGrid(5760, 1080, { cols: 2 })).toEqual({ cols: 2, rows: 1 })
  })
  it('tiles /wall by itself only where two 16:9 walls fit side by side', () => {
    expect([tilesFit(7680, 2160), tilesFit(6656, 1792), tilesFit(5760, 1080)]).toEqual([true, true, true])
    expect([tilesFit(1920, 1080), tilesFit(3840, 2160), tilesFit(1366, 768), tilesFit(2560, 1080), tilesFit(1080, 1920)]).toEqual([false, false, false, false, false])
  })
  it('starts each tile one theme further on', () => {
    expect(rotatedThemes(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c'])
    expect(rotatedThemes(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a'])
    expect(rotatedThemes(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a'])
  })
})
