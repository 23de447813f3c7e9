import type { BenchOptions } from '../options'
import type { BenchServer, EventLoopReading } from '../server'

/** One printed figure. */
export interface Figure {
  label: string
  value: string
}

/**
 * What a section reports: `absolute` figures (times, rates) are printed only when the machine was
 * not overloaded; `ratios` (figures of this run against each other) are printed always.
 */
export interface SectionResult {
  absolute: Figure[]
  ratios: Figure[]
  /** everything measured, for the JSON file */
  data: Record<string, unknown>
}

export interface BenchContext {
  options: BenchOptions
  /** the server under test (a section measuring in a process and data of its own may ignore it) */
  server: BenchServer
  runId: number
  /** results of the sections run so far, by id (later sections compare with earlier ones) */
  results: Map<string, SectionResult>
  log(line: string): void
  /** batch numbers unique within the run */
  takeBatchNumbers(count: number): number
}

export interface BenchSection {
  id: string
  title: string
  run(context: BenchContext): Promise<SectionResult>
}

/** Runs `work` as one phase and reads the server's event-loop delay over exactly that phase. */
export async function phase<T>(server: BenchServer, work: () => Promise<T>): Promise<{ value: T; loop: EventLoopReading }> {
  await server.eventLoop()
  const value = await work()
  return { value, loop: await server.eventLoop() }
}

export const loopFigure = (label: string, loop: EventLoopReading): Figure => ({
  label: `server event-loop delay, ${label}: p99 / max`,
  value: `${loop.p99Ms} / ${loop.maxMs} ms over ${Math.round(loop.windowMs / 1000)} s`,
})

export const ratio = (a: number | null | undefined, b: number | null | undefined, digits = 2): string =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(digits)}×`
