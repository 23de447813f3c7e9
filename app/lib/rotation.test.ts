import { describe, expect, it } from 'vitest'
import { advance, currentView, detourOnScreen, jumpToFlag, nextView, parseRotation } from './rotation'
import { applyHeartbeat, applyUpdate, fromSnapshot } from './roomState'
import { computeFit, parseFitMode } from './fit'

describe('rotation', () => {
  it('keeps only known themes and a sane dwell', () => {
    expect(parseRotation('overview,alerts,bogus,alerts', '12')).toEqual({ themes: ['overview', 'alerts'], dwellOverride: 12 })
    expect(parseRotation(undefined, '1').dwellOverride).toBeUndefined()
    expect(parseRotation('', undefined).themes).toHaveLength(6)
  })
  it('detours to alerts for a critical flag and resumes where it was', () => {
    const plan = parseRotation('overview,budget,payments', undefined)
    let state = advance(plan, { index: 0, detour: null }, 0)
    expect(currentView(plan, state, '511000')).toEqual({ theme: 'budget', region: '511000' })
    state = jumpToFlag(state, '511025', 1000, 30)
    expect(currentView(plan, state, '511000')).toEqual({ theme: 'alerts', region: '511025' })
    expect(advance(plan, state, 20_000)).toBe(state)
    state = advance(plan, state, 31_000)
    expect(currentView(plan, state, '511000')).toEqual({ theme: 'budget', region: '511000' })
    state = advance(plan, advance(plan, state, 0), 0)
    expect(currentView(plan, state, '511000').theme).toBe('overview')
  })
})

describe('rotation under a stream of critical flags', () => {
  it('neither extends a detour nor starts the next one before the playlist had its turn', () => {
    const plan = parseRotation('overview,budget', undefined)
    let state = jumpToFlag({ index: 0, detour: null }, '511025', 0, 30)
    // a flag of another county during the detour: same end, same county (it queues on the card)
    state = jumpToFlag(state, '511083', 20_000, 30)
    expect(state.detour).toEqual({ theme: 'alerts', region: '511025', until: 30_000 })
    state = advance(plan, state, 30_000)
    expect(currentView(plan, state, '511000')).toEqual({ theme: 'overview', region: '511000' })
    // the next critical flag 20 s later waits for the quiet period (one dwell)
    expect(jumpToFlag(state, '511025', 50_000, 30)).toBe(state)
    expect(currentView(plan, jumpToFlag(state, '511025', 61_000, 30), '511000')).toEqual({ theme: 'alerts', region: '511025' })
  })
})

describe('the detour on screen', () => {
  it('keeps the card while 监管预警 is still up after its time, and drops it once the next theme shows', () => {
    const plan = parseRotation('overview,budget', undefined)
    const city = '511000'
    let state = jumpToFlag({ index: 0, detour: null }, '511025', 0, 30)
    const detour = currentView(plan, state, city)
    // before the alerts room has data the previous theme is up, with the card
    expect(detourOnScreen(state, { theme: 'overview', region: city }, detour, detour)).toBe(true)
    expect(detourOnScreen(state, detour, detour, detour)).toBe(true)
    state = advance(plan, state, 30_000)
    const view = currentView(plan, state, city)
    expect(view).toEqual(nextView(plan, { index: 0, detour: { theme: 'alerts', region: '511025', until: 30_000 } }, city))
    // the time is up but 监管预警 is still on screen (the next room has no data yet): card stays
    expect(detourOnScreen(state, detour, view, detour)).toBe(true)
    // the next theme is on screen: card gone
    expect(detourOnScreen(state, view, view, detour)).toBe(false)
    // an alerts screen of the plain playlist never shows a card
    expect(detourOnScreen({ index: 0, detour: null }, { theme: 'alerts', region: city }, { theme: 'overview', region: city }, null)).toBe(false)
  })
})

describe('room state', () => {
  const snapshot = { ok: true as const, room: 'overview:511000', seq: 4, asOf: null, computedAt: '2024-10-22T06:00:00Z', panels: { a: { kind: 'value' as const, value: 1 }, b: { kind: 'value' as const, value: 2 } } }
  it('applies the next update and keeps unchanged panels', () => {
    const state = fromSnapshot(snapshot, 0)
    const result = applyUpdate(state, { room: snapshot.room, seq: 5, asOf: 'x', computedAt: 'y', panels: { a: { kind: 'value', value: 9 } } }, 10)
    expect(result.kind).toBe('applied')
    if (result.kind !== 'applied') return
    expect(result.state.panels).toEqual({ a: { kind: 'value', value: 9 }, b: { kind: 'value', value: 2 } })
    expect(result.state.confirmedAt).toEqual({ a: 10, b: 10 })
  })
  it('reports a gap and ignores old or foreign updates', () => {
    const state = fromSnapshot(snapshot, 0)
    expect(applyUpdate(state, { room: snapshot.room, seq: 7, asOf: null, computedAt: '', panels: {} }, 1).kind).toBe('gap')
    expect(applyUpdate(state, { room: snapshot.room, seq: 4, asOf: null, computedAt: '', panels: {} }, 1).kind).toBe('ignored')
    expect(applyUpdate(state, { room: 'alerts:511000', seq: 5, asOf: null, computedAt: '', panels: {} }, 1).kind).toBe('ignored')
  })
  it('confirms on a matching heartbeat and asks for a snapshot when behind', () => {
    const state = fromSnapshot(snapshot, 0)
    expect(applyHeartbeat(state, 5, 9)).toBe('behind')
    const confirmed = applyHeartbeat(state, 4, 9)
    expect(confirmed !== 'behind' && confirmed.confirmedAt.a).toBe(9)
  })
})

describe('fit', () => {
  it('letterboxes by default and never stretches', () => {
    expect(computeFit(3840, 2160, 'contain')).toMatchObject({ scale: 2, width: 3840, height: 2160, left: 0, top: 0 })
    expect(computeFit(5760, 1080, 'contain')).toMatchObject({ scale: 1, width: 1920, height: 1080, left: 1920 })
    expect(computeFit(5760, 1080, 'width')).toMatchObject({ scale: 3, width: 5760, height: 3240, top: 0 })
    expect(computeFit(6656, 1792, 'height').width).toBe(Math.floor(1920 * (1792 / 1080)))
    expect(parseFitMode('stretch')).toBe('contain')
  })
})
