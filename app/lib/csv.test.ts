import { describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import { panelCsv } from './csv'
import { levelOf } from './thresholds'

describe('panel CSV', () => {
  const panel = dashboards.overview.panels.find((p) => p.kind === 'map')!
  it('writes regions with extras and a BOM', () => {
    const csv = panelCsv(panel, { kind: 'regions', rows: [{ code: '511025', name: '资中县', value: 1250.5, extra: { count: 3 } }] })
    expect(csv.startsWith('\ufeff')).toBe(true)
    expect(csv.slice(1).split('\r\n')).toEqual(['区划代码,地区,数值（元）,发放人次（人次）', '511025,资中县,1250.5,3', ''])
  })
  it('writes why a region has no figure where its figure would be, never 0', () => {
    const csv = panelCsv(panel, { kind: 'regions', rows: [{ code: '511024', name: '威远县', value: 0, note: '无下达指标', extra: { issued: 0 } }] })
    expect(csv.slice(1).split('\r\n')[1]).toBe('511024,威远县,无下达指标,0')
  })
  it('leaves a category without a figure empty (平均整改用时 in a month nothing closed), never 0', () => {
    const days = dashboards.rectification.panels.find((p) => p.id === 'time-to-close')!
    const csv = panelCsv(days, { kind: 'series', categories: ['26年10月', '26年11月'], series: [{ name: '平均用时', values: [0, 2.5], gaps: [0] }] })
    expect(csv.slice(1).split('\r\n')).toEqual(['类别,平均用时（天）', '26年10月,', '26年11月,2.5', ''])
  })
  it('opens with what, where and 数据截至, and writes times in Beijing time with units in the headers', () => {
    const ticker = dashboards.overview.panels.find((p) => p.kind === 'ticker')!
    const context = { theme: '总览', region: '内江市', filters: '年度 全部；项目 全部', period: '全部年度' }
    const csv = panelCsv(ticker, {
      kind: 'table',
      columns: [{ key: 'time', title: '时间' }, { key: 'rule', title: '规则' }, { key: 'amount', title: '金额' }],
      rows: [{ time: '2024-10-22T06:05:09.000Z', rule: '同期重复发放', amount: 602.14 }],
    }, { context, asOf: '2024-10-22T06:10:00Z' })
    const [first, header, row] = csv.slice(1).split('\r\n')
    expect(first).toBe('主题：总览；面板：实时预警；地区：内江市；筛选：年度 全部；项目 全部；期间：全部年度；数据截至：2024-10-22 14:10:00（北京时间）')
    expect(header).toBe('时间（北京时间）,规则,金额（元）')
    expect(row).toBe('2024-10-22 14:05:09,同期重复发放,602.14')
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
