import { comparable, describeEnvironment, type Environment } from './environment'
import type { BenchSection, SectionResult } from './sections/types'

/**
 * Prints the run: the environment first, then each section. Absolute figures only when the load
 * average stayed within the cores; otherwise the bench says so and prints the ratios alone.
 */
export function printReport(environment: Environment, ran: Array<{ section: BenchSection; result: SectionResult | Error }>, jsonPath: string): void {
  console.log(formatReport(environment, ran, jsonPath))
}

export function formatReport(environment: Environment, ran: Array<{ section: BenchSection; result: SectionResult | Error }>, jsonPath: string): string {
  const absolute = comparable(environment)
  const lines: string[] = ['', '== environment', ...describeEnvironment(environment).map((line) => `  ${line}`)]
  if (!absolute) {
    lines.push(`  NOT COMPARABLE: the load average exceeded the ${environment.cores} cores, so absolute times measure the other work`)
    lines.push(`  on this machine as much as the server. Ratios only below; raw figures (not comparable) in ${jsonPath}.`)
  }
  for (const { section, result } of ran) {
    lines.push('', `== ${section.title}`)
    if (result instanceof Error) {
      lines.push(`  FAILED: ${result.message.split('\n')[0]}`)
      continue
    }
    const figures = absolute ? [...result.absolute, ...result.ratios] : result.ratios
    const width = Math.min(90, Math.max(...figures.map((figure) => figure.label.length)))
    for (const figure of figures) lines.push(`  ${figure.label.padEnd(width)}  ${figure.value}`)
  }
  lines.push('', `percentiles need ≥ 100 samples; fewer are shown as n and max. Raw figures: ${jsonPath}`)
  return lines.join('\n')
}
