import { describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import { panelCsv } from './csv'
import { levelOf } from './thresholds'

describe('panel CSV', () => {
  const panel = dashboards.overview.panels.find((p) => p.kind === 'map')!
  it('writes regions with extras and a BOM', () => {
    const csv = panelCsv(panel, { kind: 'regions', rows: [{ code: '511025', name: '资中县', value: 1250.5, extra: { count: 3 } }] })
    expect(csv.startsWith('\ufeff')).toBe(true)
    expect(csv.slice(1).split('\r\n')).toEqual(['区划代码,地区,数值（元）,count', '511025,资中县,1250.5,3', ''])
  })
  it('quotes commas and neutralises formulas', () => {
    const csv = panelCsv(panel, { kind: 'table', columns: [{ key: 'a', title: '说明' }], rows: [{ a: '=HYPERLINK("x")' }, { a: '甲,乙' }] })
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`)
    expect(csv).toContain('"甲,乙"')
  })
})

describe('thresholds', () => {
  it('takes the worst level reached', () => {
    const t = [{ below: 99.5, level: 'warn' as const }, { below: 98, level: 'critical' as const }]
    expect(levelOf(t, 99.9)).toBeNull()
    expect(levelOf(t, 99)).toBe('warn')
    expect(levelOf(t, 97)).toBe('critical')
  })
})
