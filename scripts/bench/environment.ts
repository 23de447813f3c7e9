import os from 'node:os'

/**
 * Where the figures were taken. Absolute times from a machine whose load average exceeded its
 * cores measure the other work as much as the server: the bench then prints ratios only.
 */
export interface Environment {
  cores: number
  node: string
  memoryGb: number
  loadAtStart: number
  loadAtEnd: number | null
  loadMax: number
  /** what the database holds (payments, flags, ledger, follow-ups) */
  data?: string
}

export function startEnvironment(): Environment {
  const load = os.loadavg()[0]
  return { cores: os.availableParallelism(), node: process.version, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAtStart: load, loadAtEnd: null, loadMax: load }
}

/** Samples the load average (at every section boundary and at the end). */
export function sampleLoad(environment: Environment, end = false): void {
  const load = os.loadavg()[0]
  environment.loadMax = Math.max(environment.loadMax, load)
  if (end) environment.loadAtEnd = load
}

/** The load average stayed within the cores at start, at every section boundary and at the end. */
export function comparable(environment: Environment): boolean {
  return Math.max(environment.loadAtStart, environment.loadAtEnd ?? 0, environment.loadMax) <= environment.cores
}

export function describeEnvironment(environment: Environment): string[] {
  const f = (load: number | null) => (load === null ? '—' : load.toFixed(2))
  return [
    `cores ${environment.cores}, memory ${environment.memoryGb} GB, node ${environment.node}, ${os.platform()} ${os.release()}`,
    `load average (1 min): start ${f(environment.loadAtStart)}, end ${f(environment.loadAtEnd)}, highest seen ${f(environment.loadMax)}`,
    ...(environment.data ? [`data: ${environment.data}`] : []),
  ]
}
