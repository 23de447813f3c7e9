/**
 * 问题台账 states and the only moves between them (清单制 + 责任制 + 销号制):
 *   待核实 → 整改中 → 已销号        (a real problem, rectified with evidence, then closed)
 *   待核实 → 核实无问题              (checked and found fine; a reason is required)
 * 督办 is not a state: an open item past its deadline is shown as escalated (see isEscalated).
 */
export const LEDGER_STATUSES = ['待核实', '整改中', '已销号', '核实无问题'] as const
export type LedgerStatus = (typeof LEDGER_STATUSES)[number]

const MOVES: Record<LedgerStatus, readonly LedgerStatus[]> = {
  待核实: ['整改中', '核实无问题'],
  整改中: ['已销号'],
  已销号: [],
  核实无问题: [],
}

/** Closing moves need a note: the evidence of rectification, or the reason nothing was wrong. */
const NOTE_REQUIRED: Partial<Record<LedgerStatus, string>> = {
  已销号: '销号须附整改证据说明',
  核实无问题: '核实无问题须填写理由',
}

export class LedgerError extends Error {
  constructor(
    readonly itemId: string,
    readonly from: string,
    readonly to: string,
    reason: string,
  ) {
    super(`台账 ${itemId}：不能从「${from}」变更为「${to}」：${reason}`)
    this.name = 'LedgerError'
  }
}

export function isLedgerStatus(value: unknown): value is LedgerStatus {
  return typeof value === 'string' && (LEDGER_STATUSES as readonly string[]).includes(value)
}

export function isOpen(status: LedgerStatus): boolean {
  return status === '待核实' || status === '整改中'
}

/** Throws LedgerError naming the item, from and to when the move is not allowed. */
export function checkTransition(itemId: string, from: LedgerStatus, to: string, note: string): LedgerStatus {
  if (!isLedgerStatus(to)) throw new LedgerError(itemId, from, to, '未知状态')
  if (!MOVES[from].includes(to)) {
    const allowed = MOVES[from].length ? `只能变更为 ${MOVES[from].join('、')}` : '该事项已办结'
    throw new LedgerError(itemId, from, to, allowed)
  }
  const required = NOTE_REQUIRED[to]
  if (required && note.trim() === '') throw new LedgerError(itemId, from, to, required)
  return to
}

/** 督办: still open on a day after its deadline. Dates are 'YYYY-MM-DD' (compare as strings). */
export function isEscalated(status: LedgerStatus, deadline: string, today: string): boolean {
  return isOpen(status) && today > deadline
}
