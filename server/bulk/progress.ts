/**
 * Progress of a load on stderr: a bar redrawn in place on a terminal, a line every few seconds
 * otherwise (logs, CI). Rates are rows per second since the phase began; the ETA follows the
 * share done (bytes of the file read, rows moved).
 */
export interface ProgressEvent {
  phase: 'read' | 'check' | 'move' | 'done'
  rows: number
  /** 0–1 share done, null when unknown */
  share: number | null
}

const TITLES: Record<ProgressEvent['phase'], string> = { read: 'reading and checking rows', check: 'checking the file as a whole', move: 'storing into payment_detail (rollups follow)', done: 'done' }

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, intervalMs = 2000): (event: ProgressEvent) => void {
  const started = Date.now()
  let phaseStarted = started
  let phase = ''
  let lastLine = 0
  let barOpen = false
  const tty = Boolean(stream.isTTY)
  return (event) => {
    const now = Date.now()
    if (event.phase !== phase) {
      if (barOpen) stream.write('\n')
      barOpen = false
      phase = event.phase
      phaseStarted = now
      lastLine = 0
      stream.write(`${TITLES[event.phase]} (${((now - started) / 1000).toFixed(1)} s)\n`)
      if (event.phase === 'check' || event.phase === 'done') return
    }
    const seconds = Math.max((now - phaseStarted) / 1000, 0.001)
    const rate = Math.round(event.rows / seconds)
    const eta = event.share && event.share > 0 && event.share < 1 ? `ETA ${Math.ceil((seconds / event.share) * (1 - event.share))} s` : ''
    const text = `${event.rows.toLocaleString('en')} rows  ${rate.toLocaleString('en')} rows/s  ${eta}`
    if (tty) {
      const width = 30
      const filled = event.share === null ? 0 : Math.round(width * event.share)
      const bar = event.share === null ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(event.share * 100)).padStart(3)}%  `
      stream.write(`\r${bar}${text}\x1b[K`)
      barOpen = true
    } else if (now - lastLine >= intervalMs || event.share === 1) {
      lastLine = now
      stream.write(`  ${event.share === null ? '' : `${Math.round(event.share * 100)}% `}${text}\n`)
    }
  }
}
