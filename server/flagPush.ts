import type { FlagEvent } from '../dashboards/types'
import { CITY_CODE } from '../geo/regions'
import type { AppContext } from './context'
import type { LiveHub } from './live'
import { flagAmountsForScopes, type AmountForScope } from './rules/queries/scopedAmounts'
import { firstLine } from './errorLine'

/**
 * New flags go to the open sockets whose scope holds them, each with the amount paid inside that
 * socket's scope: a case can span counties (R03), and a county's wall or staff once got the whole
 * case's sum on its ticker and critical-flag card. If the flags' records cannot be read, viewers
 * below the city get no amount rather than one that is not theirs.
 */
export async function pushFlags(ctx: Pick<AppContext, 'db' | 'log'>, hub: Pick<LiveHub, 'broadcastFlags'>, events: FlagEvent[]): Promise<void> {
  if (events.length === 0) return
  const amountFor: AmountForScope = await flagAmountsForScopes(
    ctx.db,
    events.map((event) => event.flagId),
  ).catch((error: unknown) => {
    ctx.log.warn(`flag amounts per scope: ${firstLine(error)}`)
    return (_flagId: string, scope: string, amount: number | null) => (scope === CITY_CODE ? amount : null)
  })
  hub.broadcastFlags(events, (event, scope) => amountFor(event.flagId, scope, event.amount))
}
