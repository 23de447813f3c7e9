import { describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import type { PanelData } from '../../dashboards/types'
import { CITY_CODE } from '../../geo/regions'
import { Room } from './room'

const series = (values: number[]): PanelData => ({ kind: 'series', categories: values.map((_, i) => `${i}时`), series: [{ name: '金额', values }] })

describe('a room tells which panels changed', () => {
  const room = () => new Room(Object.values(dashboards)[0], CITY_CODE, [], true)

  it('passes on a panel whose data differ, however small the difference', () => {
    const r = room()
    expect(Object.keys(r.absorb({ a: series([1, 2, 3]), b: { kind: 'value', value: 10 } }))).toEqual(['a', 'b'])
    expect(Object.keys(r.absorb({ a: series([1, 2, 3.01]), b: { kind: 'value', value: 10 } }))).toEqual(['a'])
    expect(Object.keys(r.absorb({ a: series([1, 2, 3.01]), b: { kind: 'value', value: 10, note: '同比 +1.0%' } }))).toEqual(['b'])
    expect(r.panels.a).toEqual(series([1, 2, 3.01]))
  })

  it('holds back equal data computed again (new objects, same content)', () => {
    const r = room()
    r.absorb({ a: series([5, 6]), b: { kind: 'value', value: 1 } })
    expect(r.absorb({ a: series([5, 6]), b: { kind: 'value', value: 1 } })).toEqual({})
  })
})
