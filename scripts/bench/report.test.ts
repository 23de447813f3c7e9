import { describe, expect, it } from 'vitest'
import type { Environment } from './environment'
import { formatReport } from './report'
import type { BenchSection, SectionResult } from './sections/types'

const section: BenchSection = { id: 'demo', title: 'a section', run: async () => result }
const result: SectionResult = {
  absolute: [{ label: 'ack → screen p95', value: '412 ms' }],
  ratios: [{ label: 'loaded ÷ light p95', value: '1.30×' }],
  data: {},
}
const environment = (load: Partial<Environment>): Environment => ({ cores: 2, node: 'v22', memoryGb: 8, loadAtStart: 1, loadAtEnd: 1, loadMax: 1, ...load })

describe('bench report: absolute figures only while the load average stayed within the cores', () => {
  it('prints the environment, the absolute figures and the ratios on a quiet machine', () => {
    const text = formatReport(environment({ loadAtStart: 0.5, loadAtEnd: 1.5, loadMax: 1.9 }), [{ section, result }], '/tmp/x.json')
    expect(text).toContain('cores 2')
    expect(text).toContain('load average (1 min): start 0.50, end 1.50, highest seen 1.90')
    expect(text).toContain('412 ms')
    expect(text).toContain('1.30×')
    expect(text).not.toContain('NOT COMPARABLE')
  })

  it('refuses absolute figures when the load exceeded the cores at the start or the end: ratios only', () => {
    for (const load of [{ loadAtStart: 2.5, loadMax: 2.5 }, { loadAtEnd: 3, loadMax: 3 }]) {
      const text = formatReport(environment(load), [{ section, result }], '/tmp/x.json')
      expect(text).toContain('NOT COMPARABLE')
      expect(text).not.toContain('412 ms')
      expect(text).toContain('1.30×')
    }
  })

  it('refuses them too when the load rose above the cores between sections only', () => {
    const text = formatReport(environment({ loadAtStart: 1, loadAtEnd: 1, loadMax: 6 }), [{ section, result }], '/tmp/x.json')
    expect(text).toContain('NOT COMPARABLE')
    expect(text).not.toContain('412 ms')
  })

  it('names a failed section instead of its figures', () => {
    const text = formatReport(environment({}), [{ section, result: new Error('server exited\nstack') }], '/tmp/x.json')
    expect(text).toContain('FAILED: server exited')
    expect(text).not.toContain('stack')
  })
})
