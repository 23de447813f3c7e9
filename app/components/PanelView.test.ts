import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import type { PanelData } from '../../dashboards/types'
import { PanelView } from './PanelView'

function render(theme: keyof typeof dashboards, panelId: string, data: PanelData): string {
  const panel = dashboards[theme].panels.find((p) => p.id === panelId)!
  return renderToStaticMarkup(createElement(PanelView, { panel, data, region: '511000', asOf: null, stale: false, u: 1, flags: [], since: 0 }))
}

const series = (categories: string[], ...values: Array<[string, number[]]>): PanelData => ({ kind: 'series', categories, series: values.map(([name, v]) => ({ name, values: v })) })

describe('an empty panel', () => {
  it('says what nothing means on a panel of problems: nothing overdue is news, not a failed feed', () => {
    const html = render('rectification', 'overdue-list', { kind: 'table', columns: [{ key: 'title', title: '问题' }], rows: [] })
    expect(html).toContain('无逾期未整改事项')
    expect(html).not.toContain('暂无数据')
    expect(render('rectification', 'late-depts', series([], ['逾期条数', []], ['超时审批', []]))).toContain('无逾期未整改事项或超时审批')
    expect(render('alerts', 'overdue', series(['村评', '镇审'], ['提醒', [0, 0]], ['督办', [0, 0]]))).toContain('无超时审批')
  })

  it('draws the chart when any series it draws has a figure (督办 without 提醒)', () => {
    const html = render('alerts', 'overdue', series(['村评', '镇审'], ['提醒', [0, 0]], ['督办', [3, 0]]))
    expect(html).not.toContain('无超时审批')
    expect(html).toContain('class="echart"')
    // a pie draws its first series only: open flags by class, none open, some in the past
    expect(render('alerts', 'by-class', series(['政策风险'], ['未处置', [0]], ['累计', [12]]))).toContain('无未处置预警')
  })

  it('keeps 暂无数据 where a panel says nothing of its own', () => {
    const bank = dashboards.payments.panels.find((p) => p.id === 'by-bank')!
    expect(bank.empty).toBeUndefined()
    expect(render('payments', 'by-bank', series(['农商行'], ['金额', [0]]))).toContain('暂无数据')
  })
})
