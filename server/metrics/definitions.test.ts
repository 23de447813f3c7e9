import { describe, expect, it } from 'vitest'
import { metricDefinitions } from '../../dashboards/definitions'
import { metricRegistry } from './registry'

describe('metric definitions (口径)', () => {
  it('every registered metric has its definition, and no definition names a metric that does not exist', () => {
    expect([...metricRegistry.keys()].filter((name) => !metricDefinitions[name])).toEqual([])
    expect(Object.keys(metricDefinitions).filter((name) => !metricRegistry.has(name))).toEqual([])
  })
})
