import { alerts } from './alerts'
import { budget } from './budget'
import { outreach } from './outreach'
import { overview } from './overview'
import { payments } from './payments'
import { rectification } from './rectification'
import { dashboardSchema, THEME_IDS, type Dashboard, type ThemeId } from './types'

/**
 * Every theme, parsed through the schema at import: a malformed definition fails the build and the
 * server's start-up rather than a wall at 3 a.m. Browser-safe (no server imports).
 */
const definitions = [overview, budget, payments, alerts, outreach, rectification]

export const dashboards: Record<ThemeId, Dashboard> = Object.fromEntries(
  definitions.map((definition) => {
    const parsed = dashboardSchema.parse(definition)
    return [parsed.id, parsed]
  }),
) as Record<ThemeId, Dashboard>

for (const id of THEME_IDS) if (!dashboards[id]) throw new Error(`dashboard ${id} has no definition`)

export function isThemeId(value: string): value is ThemeId {
  return (THEME_IDS as readonly string[]).includes(value)
}
