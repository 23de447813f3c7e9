import { projects, type Project } from './index'

/**
 * The facts about each subsidy project that the rules need, read from the parsed catalogue and
 * handed to the SQL as parameters, so a changed catalogue changes the rules without touching
 * their SQL.
 */
export const catalogue = projects

const byCode = new Map(catalogue.map((project) => [project.code, project]))

export function projectName(code: string): string {
  return byCode.get(code)?.name ?? code
}

/** R25 kinds: which projects count as "receiving" for each kind of eligibility. */
export const outreachProjects = {
  /** 学前 / 义务教育 / 高中 / 中职 aid (the exclusion groups of the school-stage grants) */
  教育资助: codesWhere((p) => p.exclusionGroup === '学前资助' || p.exclusionGroup === '义教资助' || p.exclusionGroup === '高中资助'),
  高龄津贴: codesWhere((p) => p.exclusionGroup === '高龄津贴'),
  护理补贴: codesWhere((p) => p.name.includes('重度残疾人护理补贴')),
}

function codesWhere(test: (project: Project) => boolean): string[] {
  return catalogue.filter(test).map((project) => project.code)
}

let builtParams: Readonly<Record<string, unknown>> | undefined

/**
 * Catalogue facts as ClickHouse parameters (see params.ts for their types). Built once: the
 * catalogue does not change while the process runs, and the rule parameters are asked for by
 * every region of every warm pass.
 */
export function catalogueParams(): Readonly<Record<string, unknown>> {
  return (builtParams ??= Object.freeze(buildCatalogueParams()))
}

function buildCatalogueParams(): Record<string, unknown> {
  const withGroup = catalogue.filter((project) => project.exclusionGroup)
  return {
    monthlyProjects: codesWhere((p) => p.frequency === 'monthly'),
    reliefProjects: codesWhere((p) => p.relief),
    villageReviewedProjects: codesWhere((p) => p.villageReviewed),
    ageMin: Object.fromEntries(catalogue.map((p) => [p.code, p.ageMin])),
    ageMax: Object.fromEntries(catalogue.map((p) => [p.code, p.ageMax])),
    exclusionGroup: Object.fromEntries(withGroup.map((p) => [p.code, p.exclusionGroup])),
    eduAidProjects: outreachProjects.教育资助,
    elderAidProjects: outreachProjects.高龄津贴,
    careAidProjects: outreachProjects.护理补贴,
  }
}
