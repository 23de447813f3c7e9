import { bulkLoad } from './bulkLoad'
import { fullRefresh } from './fullRefresh'
import { headroom } from './headroom'
import { ingest } from './ingest'
import { ingestToScreen } from './ingestToScreen'
import { liveCore } from './liveCore'
import { polling } from './polling'
import { sockets } from './sockets'
import type { BenchSection } from './types'
import { wallWeight } from './wallWeight'

/**
 * The bench's sections, in the order they run (`--sections id,id` picks some). Full refreshes go
 * first: they time rooms no screen has watched yet. Ingest goes last: its large batches would
 * otherwise sit in every later figure. The wall's page weight and first chart (wall-weight) come
 * first, on the server before any load: a wall screen's cold start. Headroom (rules on vs off, CPU
 * idle and fed) follows the latency section, on a server no poller has loaded yet. The live core's
 * room-refresh figures (scripts/bench/liveCore.ts) run last, in a process and data of their own, and so does the bulk load of a 1M-row file.
 * The socket flood (20,000 sockets at the server's descriptor limit) comes just before them: the
 * sockets it held are closed, but the server's memory is not what it was.
 */
export const sections: BenchSection[] = [wallWeight, fullRefresh, ingestToScreen, headroom, polling, ingest, sockets, liveCore, bulkLoad]
