import fs from 'node:fs'
import { ConfigError } from './config'

/**
 * File descriptors shared by sockets, HTTP (ingest, pages) and the embedded engine. Profiled on
 * main: at ~20,000 sockets (nofile 20,000) the process ran out, and chDB failed with EMFILE
 * (panels stopped, ingest answered 500). So live sockets get a cap under the open-files limit and
 * the HTTP server a connection cap between the two: whatever the sockets do, the engine keeps a
 * quarter of the descriptors at least, and HTTP (ingest, refused sockets) the rest.
 *
 * Node has no setrlimit: `npm start` and the image raise the soft limit to the hard one in the
 * shell before exec'ing node (`ulimit -n "$(ulimit -Hn)"`); the server reads what it got.
 */
export interface OpenFilesLimit {
  soft: number
  hard: number
}

export interface DescriptorBudget {
  /** The effective (soft) open-files limit of this process; null where /proc is unavailable. */
  limit: OpenFilesLimit | null
  /** Live sockets accepted at most; more are refused with a reason and retry later. */
  socketCap: number
  /** TCP connections the HTTP server holds at most (server.maxConnections); 0 = no cap. */
  connectionCap: number
  /** SOCKET_CAP set by the operator (else the default share of the limit). */
  configured: boolean
}

/** Default socket share of the open-files limit: 15,000 of 20,000. */
const SOCKET_SHARE = 0.75
/** Below the limit, never given to sockets: the engine's files, ingest and pages. */
const MIN_RESERVE = 256
/** Where the limit cannot be read (not Linux) and SOCKET_CAP is unset. */
const FALLBACK_SOCKET_CAP = 10_000

/** "Max open files" of /proc/self/limits, or null when the file is missing or says unlimited. */
export function parseOpenFilesLimit(limitsText: string): OpenFilesLimit | null {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limitsText)
  if (!match || match[1] === 'unlimited') return null
  const soft = Number(match[1])
  return { soft, hard: match[2] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[2]) }
}

export function readOpenFilesLimit(): OpenFilesLimit | null {
  try {
    return parseOpenFilesLimit(fs.readFileSync('/proc/self/limits', 'utf8'))
  } catch {
    return null
  }
}

/**
 * The socket and connection caps for a limit. A configured SOCKET_CAP that leaves the engine
 * fewer than MIN_RESERVE descriptors stops start-up (it would bring back the EMFILE it exists for).
 */
export function descriptorBudget(socketCapSetting: number | undefined, limit: OpenFilesLimit | null = readOpenFilesLimit()): DescriptorBudget {
  if (!limit) return { limit, socketCap: socketCapSetting ?? FALLBACK_SOCKET_CAP, connectionCap: 0, configured: socketCapSetting !== undefined }
  const most = limit.soft - MIN_RESERVE
  if (socketCapSetting !== undefined && socketCapSetting > most) {
    throw new ConfigError(
      `invalid environment variable SOCKET_CAP: ${socketCapSetting} leaves too few of the ${limit.soft} open files for the engine and ingest (at most ${Math.max(0, most)})`,
    )
  }
  const socketCap = socketCapSetting ?? Math.floor(limit.soft * SOCKET_SHARE)
  // Half of what sockets leave goes to HTTP connections (ingest, pages, refused sockets on their
  // way out); the other half is never reachable by the network and stays for the engine.
  const connectionCap = socketCap + Math.floor((limit.soft - socketCap) / 2)
  return { limit, socketCap, connectionCap, configured: socketCapSetting !== undefined }
}

/** One start-up line: what the process may open, what sockets get. */
export function describeBudget(budget: DescriptorBudget): string {
  const sockets = `sockets capped at ${budget.socketCap}${budget.configured ? ' (SOCKET_CAP)' : ''}`
  if (!budget.limit) return `open files: limit unknown (no /proc/self/limits); ${sockets}`
  const { soft, hard } = budget.limit
  const raised = soft >= hard ? 'at the hard limit' : `hard limit ${hard}: start with npm start or ulimit -n to raise it`
  return `open files: ${soft} (${raised}); ${sockets}, HTTP connections at ${budget.connectionCap}`
}
