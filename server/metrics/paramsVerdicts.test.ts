import { describe, expect, it } from 'vitest'
import { CITY_CODE, regionsAtLevel } from '../../geo/regions'
import { MetricParamsError, parseMetricParams } from './registry'

const town = regionsAtLevel('town')[0].code
const county = regionsAtLevel('county')[0].code

function refusal(name: string, params: unknown): MetricParamsError {
  try {
    parseMetricParams(name, params)
  } catch (error) {
    if (error instanceof MetricParamsError) return error
    throw error
  }
  throw new Error('params were accepted')
}

describe('metric params verdicts (remembered between passes)', () => {
  it('refuses the same params the same way every time', () => {
    const first = refusal('budget.idleFunds', { region: town })
    const again = refusal('budget.idleFunds', { region: town })
    expect(again).not.toBe(first)
    expect(again.issues).toEqual(first.issues)
    expect(again.issues.join()).toMatch(/region/)
  })

  it('keeps verdicts of different params apart', () => {
    expect(parseMetricParams('budget.idleFunds', { region: CITY_CODE })).toEqual({ region: CITY_CODE })
    refusal('budget.idleFunds', { region: town })
    expect(parseMetricParams('budget.idleFunds', { region: county })).toEqual({ region: county })
    expect(parseMetricParams('budget.idleFunds', { region: CITY_CODE, day: '2026-01-05' })).toEqual({ region: CITY_CODE, day: '2026-01-05' })
  })

  it('hands out parsed params that no metric can change for the next caller', () => {
    const parsed = parseMetricParams('payments.topVillages', { region: CITY_CODE }) as Record<string, unknown>
    expect(parsed).toEqual({ region: CITY_CODE, limit: 10 })
    expect(() => {
      parsed.limit = 1
    }).toThrow(TypeError)
    expect(parseMetricParams('payments.topVillages', { region: CITY_CODE })).toEqual({ region: CITY_CODE, limit: 10 })
  })

  it('still checks params that are not flat values', () => {
    expect(refusal('payments.topVillages', { region: CITY_CODE, limit: { n: 3 } }).issues.join()).toMatch(/limit/)
    expect(refusal('payments.topVillages', { region: CITY_CODE, extra: undefined }).issues.join()).toMatch(/extra|Unrecognized/)
  })
})
