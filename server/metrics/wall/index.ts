import type { MetricDefinition } from '../define'
import { flagsByClass, flagsByRegion, flagsByRule, flagsBySeverity, flagsCritical, flagsOpen, flagsTicker } from './flagMetrics'
import { approvalsOverdueMetric, ledgerByStatus, ledgerClosureRate, ledgerOverdue } from './ledgerMetrics'
import { outreachByKind, outreachByRegion, outreachEnrolled, outreachFunnel } from './outreachMetrics'

/** The wall metrics the rules part owns; server/metrics/registry.ts spreads them into its list. */
export const ruleMetrics: MetricDefinition[] = [
  flagsOpen,
  flagsCritical,
  flagsByRegion,
  flagsByRule,
  flagsByClass,
  flagsBySeverity,
  flagsTicker,
  ledgerClosureRate,
  ledgerByStatus,
  ledgerOverdue,
  outreachFunnel,
  outreachByKind,
  outreachEnrolled,
  outreachByRegion,
  approvalsOverdueMetric,
] as MetricDefinition[]
