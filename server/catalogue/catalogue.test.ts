import { describe, expect, it } from 'vitest'
import { banks, departments, isKnownProject, projectByCode, projects } from './index'

describe('project catalogue', () => {
  it('holds 90 projects with stable, unique codes P01..P90', () => {
    expect(projects).toHaveLength(90)
    expect(projects.map((p) => p.code)).toEqual(Array.from({ length: 90 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`))
    expect(new Set(projects.map((p) => p.name)).size).toBe(90)
  })

  it('covers all 13 departments and keeps bands ordered', () => {
    expect(new Set(projects.map((p) => p.dept))).toEqual(new Set(departments))
    for (const p of projects) {
      expect(p.amountMin).toBeLessThanOrEqual(p.amountMax)
      expect(p.ageMin).toBeLessThanOrEqual(p.ageMax)
    }
  })

  it('looks projects up by code', () => {
    expect(projectByCode('P01')?.name).toBe('城市居民最低生活保障金')
    expect(isKnownProject('P90')).toBe(true)
    expect(isKnownProject('P91')).toBe(false)
    expect(projectByCode('X')).toBeUndefined()
  })

  it('has exclusion groups with at least two projects where exclusion matters', () => {
    const groups = new Map<string, number>()
    for (const p of projects) if (p.exclusionGroup) groups.set(p.exclusionGroup, (groups.get(p.exclusionGroup) ?? 0) + 1)
    expect(groups.get('儿童保障')).toBeGreaterThanOrEqual(2)
    expect(groups.get('低保')).toBe(2)
    expect(banks.length).toBeGreaterThanOrEqual(5)
  })
})
