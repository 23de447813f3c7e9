import { hasValidChecksum } from '../ingest/idNumber'
/**
 * Finds personal data that escaped masking in any text (HTTP bodies, socket frames, logs, CSV).
 * Used by tests that scan everything the server sends. Hits are reported masked, so a failing test
 * does not print the very data it caught.
 */
export interface PersonalDataHit {
  kind: 'id_number' | 'phone' | 'card'
  /** the offending value, masked */
  sample: string
  index: number
  /** characters the raw value spans in the text */
  length: number
}

const ID_PATTERN = /(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])/g
const PHONE_PATTERN = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g
// 16–19 digits, written solid or in groups of four separated by a space or dash.
const CARD_PATTERN = /(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)(?![0-9])/g


export function findUnmaskedPersonalData(text: string): PersonalDataHit[] {
  const hits: PersonalDataHit[] = []
  const idSpans: Array<[number, number]> = []
  for (const match of text.matchAll(ID_PATTERN)) {
    if (!hasValidChecksum(match[0])) continue
    hits.push({ kind: 'id_number', sample: match[0].slice(0, 6) + '********' + match[0].slice(-4), index: match.index, length: 18 })
    idSpans.push([match.index, match.index + match[0].length])
  }
  for (const match of text.matchAll(PHONE_PATTERN)) {
    hits.push({ kind: 'phone', sample: match[0].slice(0, 3) + '****' + match[0].slice(-4), index: match.index, length: 11 })
  }
  for (const match of text.matchAll(CARD_PATTERN)) {
    const start = match.index
    if (idSpans.some(([from, to]) => start >= from && start < to)) continue
    const digits = match[0].replace(/[ -]/g, '')
    if (digits.length < 16 || digits.length > 19) continue
    hits.push({ kind: 'card', sample: `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`, index: start, length: match[0].length })
  }
  return hits.sort((a, b) => a.index - b.index)
}

/** Replaces anything that looks like an ID, phone or card in free text (audit reasons, labels). */
export function redactPersonalData(text: string): string {
  const hits = findUnmaskedPersonalData(text)
  let result = text
  // Right to left, so earlier indexes stay valid.
  for (const hit of [...hits].sort((a, b) => b.index - a.index)) {
    result = result.slice(0, hit.index) + hit.sample + result.slice(hit.index + hit.length)
  }
  return result
}
