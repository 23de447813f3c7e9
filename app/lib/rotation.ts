import { THEME_IDS, type ThemeId } from '../../dashboards/types'

/**
 * The /wall playlist: which themes, how long each stays, and the detour to 监管预警 when a
 * critical flag arrives. Pure functions; the component only keeps time.
 */
export interface RotationPlan {
  themes: ThemeId[]
  /** seconds per theme; undefined = each dashboard's own dwellSec */
  dwellOverride?: number
}

export function parseRotation(themesParam: string | undefined, dwellParam: string | undefined): RotationPlan {
  const requested = (themesParam ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  const themes = requested.filter((t): t is ThemeId => (THEME_IDS as readonly string[]).includes(t))
  const dwell = Number(dwellParam)
  return {
    themes: themes.length ? [...new Set(themes)] : [...THEME_IDS],
    dwellOverride: Number.isFinite(dwell) && dwell >= 3 ? Math.round(dwell) : undefined,
  }
}

export interface RotationState {
  /** position in the playlist */
  index: number
  /** a detour in progress: show this theme for this region until `until` (ms epoch) */
  detour: { theme: ThemeId; region: string; until: number } | null
  /** when the last detour ended (ms epoch): the playlist gets its turn before the next one */
  detourEndedAt?: number
}

/** What is on screen now. */
export function currentView(plan: RotationPlan, state: RotationState, cityCode: string): { theme: ThemeId; region: string } {
  if (state.detour) return { theme: state.detour.theme, region: state.detour.region }
  return { theme: plan.themes[state.index % plan.themes.length], region: cityCode }
}

/**
 * What comes on screen after the current view: the playlist's next theme, or after a detour the
 * theme it resumes. The wall subscribes to it ahead of the switch.
 */
export function nextView(plan: RotationPlan, state: RotationState, cityCode: string): { theme: ThemeId; region: string } {
  const index = state.detour ? state.index : state.index + 1
  return { theme: plan.themes[index % plan.themes.length], region: cityCode }
}

/** Advance when the dwell elapsed; a finished detour resumes the playlist where it left off. */
export function advance(plan: RotationPlan, state: RotationState, now: number): RotationState {
  if (state.detour) return now >= state.detour.until ? { index: state.index, detour: null, detourEndedAt: now } : state
  return { index: (state.index + 1) % plan.themes.length, detour: null, detourEndedAt: state.detourEndedAt }
}

/**
 * A critical flag sends the screen to 监管预警 for the flag's region for one dwell. Flags keep
 * coming (the demo feed plants one every 20 s), so a wall must not be held on 监管预警: a flag
 * during a detour neither extends it nor moves it (the screen stays on the flag its card shows;
 * the newcomer queues on that card), and after a detour the playlist runs for `quietSec` before
 * the next one. Flags in between still reach the ticker and the map.
 */
export function jumpToFlag(state: RotationState, region: string, now: number, dwellSec: number, quietSec = dwellSec): RotationState {
  if (state.detour && now < state.detour.until) return state
  if (state.detourEndedAt !== undefined && now - state.detourEndedAt < quietSec * 1000) return state
  return { index: state.index, detour: { theme: 'alerts', region, until: now + dwellSec * 1000 }, detourEndedAt: state.detourEndedAt }
}

/**
 * Whether the detour is still on screen, so its flag card and ticker pin stay up. A detour is over
 * for the playlist the moment its time is up, but its 监管预警 screen stays until the next theme's
 * room has data (the wall never switches to empty panels); the card leaves with that screen, not
 * one render before it (a room screen showing 监管预警 for the flag's region without its card).
 */
export function detourOnScreen(state: RotationState, shown: { theme: ThemeId; region: string }, view: { theme: ThemeId; region: string }, lastDetour: { theme: ThemeId; region: string } | null): boolean {
  if (state.detour) return true
  const switching = shown.theme !== view.theme || shown.region !== view.region
  return switching && lastDetour !== null && shown.theme === lastDetour.theme && shown.region === lastDetour.region
}
