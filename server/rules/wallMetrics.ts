import type { MetricDefinition } from '../metrics/define'
import { flagsByClass, flagsByRegion, flagsByRule, flagsBySeverity, flagsCritical, flagsOpen, flagsTicker } from './wall/flagMetrics'
import { approvalsOverdueMetric, ledgerByStatus, ledgerClosureRate, ledgerOverdue } from './wall/ledgerMetrics'
import { outreachByKind, outreachByRegion, outreachEnrolled, outreachFunnel } from './wall/outreachMetrics'

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
