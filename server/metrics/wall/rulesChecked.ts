import { z } from 'zod'
import type { Db } from '../../db/client'
import type { PanelData } from '../../../dashboards/types'
import { selectOne } from '../sql/query'
import { defineMetric, type MetricDefinition } from '../define'

/** Said on a flag panel before the rules have looked at the data once. */
export const RULES_NOT_YET_RUN = '规则首轮核查中，核查完成后显示'

const checkedRow = z.object({ passes: z.coerce.number(), flags: z.coerce.number() })

/**
 * Whether the flag table can be read as the rules' verdict: a full pass has been written down
 * (rule_pass), or flags are stored (found by an earlier run, or loaded with the data). On a first
 * start over fresh data neither holds until the engine's first pass has ended; an empty flag table
 * then means "not checked yet", and a 0 on 未处置预警 or 重大风险预警 would read as a clean city.
 * Both counts are read from part metadata, and the panels of one tick share the query.
 */
export async function rulesHaveChecked(db: Db): Promise<boolean> {
  const row = await selectOne(db, 'SELECT (SELECT count() FROM rule_pass) AS passes, (SELECT count() FROM flag) AS flags', {}, checkedRow)
  return row.passes > 0 || row.flags > 0
}

/** The panel's figure once the rules have checked the data; until then, a pending panel that says so. */
export async function onceRulesChecked(db: Db, figure: () => Promise<PanelData>): Promise<PanelData> {
  if (!(await rulesHaveChecked(db))) return { kind: 'pending', reason: RULES_NOT_YET_RUN }
  return figure()
}

/** A metric over flags: its figure waits for the rules' first look at the data (see rulesHaveChecked). */
export function defineFlagMetric<P extends z.ZodType>(definition: MetricDefinition<P>): MetricDefinition<P> {
  return defineMetric({ ...definition, run: (db, params) => onceRulesChecked(db, () => definition.run(db, params)) })
}
