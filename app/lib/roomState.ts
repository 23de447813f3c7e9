import type { PanelData, RoomUpdate, Snapshot } from '../../dashboards/types'

/**
 * A room's data on the client. Updates carry only changed panels and must follow seq by one;
 * on a gap the client asks for a fresh snapshot instead of showing a half-applied state.
 */
export interface RoomState {
  room: string
  seq: number
  asOf: string | null
  computedAt: string
  panels: Record<string, PanelData>
  /** client time (ms) each panel was last confirmed current by the server */
  confirmedAt: Record<string, number>
  /** client time (ms) each panel's data last changed */
  changedAt: Record<string, number>
}

export function fromSnapshot(snapshot: Snapshot, now: number): RoomState {
  return {
    room: snapshot.room,
    seq: snapshot.seq,
    asOf: snapshot.asOf,
    computedAt: snapshot.computedAt,
    panels: snapshot.panels,
    confirmedAt: Object.fromEntries(Object.keys(snapshot.panels).map((id) => [id, now])),
    changedAt: Object.fromEntries(Object.keys(snapshot.panels).map((id) => [id, now])),
  }
}

export type UpdateResult = { kind: 'applied'; state: RoomState } | { kind: 'ignored' } | { kind: 'gap' }

export function applyUpdate(state: RoomState, update: RoomUpdate, now: number): UpdateResult {
  if (update.room !== state.room || update.seq <= state.seq) return { kind: 'ignored' }
  if (update.seq !== state.seq + 1) return { kind: 'gap' }
  const confirmedAt = { ...state.confirmedAt }
  // the server sent only what changed, so every panel of the room is current as of this update
  for (const id of Object.keys({ ...state.panels, ...update.panels })) confirmedAt[id] = now
  const changedAt = { ...state.changedAt }
  for (const id of Object.keys(update.panels)) changedAt[id] = now
  return {
    kind: 'applied',
    state: { ...state, seq: update.seq, asOf: update.asOf, computedAt: update.computedAt, panels: { ...state.panels, ...update.panels }, confirmedAt, changedAt },
  }
}

/** A heartbeat naming our room: equal seq confirms every panel; a higher seq means we missed one. */
export function applyHeartbeat(state: RoomState, roomSeq: number | undefined, now: number): RoomState | 'behind' {
  if (roomSeq === undefined) return state
  if (roomSeq > state.seq) return 'behind'
  return { ...state, confirmedAt: Object.fromEntries(Object.keys(state.panels).map((id) => [id, now])) }
}
