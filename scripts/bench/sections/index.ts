import { fullRefresh } from './fullRefresh'
import { ingest } from './ingest'
import { ingestToScreen } from './ingestToScreen'
import { polling } from './polling'
import type { BenchSection } from './types'

/**
 * The bench's sections, in the order they run (`--sections id,id` picks some). Full refreshes go
 * first: they time rooms no screen has watched yet. Ingest goes last: its large batches would
 * otherwise sit in every later figure. More sections (e.g. room-refresh figures of the live core,
 * scripts/bench/liveCore.ts) are added here as a BenchSection; one that measures in a process and
 * data of its own can ignore the server it is given.
 */
export const sections: BenchSection[] = [fullRefresh, ingestToScreen, polling, ingest]
