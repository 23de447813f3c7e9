import type { RuleDefinition } from '../types'
import R01 from './R01-paidAfterDeath'
import R02 from './R02-samePeriodDuplicate'
import R03 from './R03-crossRegionDuplicate'
import R04 from './R04-mutuallyExclusive'
import R05 from './R05-aboveStandard'
import R06 from './R06-ageOutsideBand'
import R07 from './R07-officialsOnRelief'
import R08 from './R08-cadresAndRelatives'
import R09 from './R09-oneCardManyPeople'
import R10 from './R10-holderMismatch'
import R11 from './R11-sharedPhone'
import R12 from './R12-reliefWithAssets'
import R15 from './R15-failedNotReissued'
import R16 from './R16-idleFunds'
import R17 from './R17-approvalOverdue'
import R18 from './R18-latePayment'
import R19 from './R19-underExecution'
import R20 from './R20-brokenChain'
import R21 from './R21-dormantCard'
import R22 from './R22-proxyHolding'
import R23 from './R23-amountJump'
import R24 from './R24-dataQuality'
import R25 from './R25-eligibleNotReceiving'

/** Every supervision rule, in id order (R13 and R14 are not defined, see CASES.md). */
export const rules: readonly RuleDefinition[] = [
  R01, R02, R03, R04, R05, R06, R07, R08, R09, R10, R11, R12,
  R15, R16, R17, R18, R19, R20, R21, R22, R23, R24, R25,
]

const byId = new Map(rules.map((rule) => [rule.id, rule]))

export function getRule(id: string): RuleDefinition | undefined {
  return byId.get(id)
}

