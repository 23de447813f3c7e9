/**
 * Masking of beneficiaries' personal data, applied on the server before anything leaves it
 * (Hutool's conventions, see DOMAIN.md "Personal data"). Every masker accepts any string and never
 * returns more of it than its rule allows, so a malformed value cannot leak through.
 */
export { findUnmaskedPersonalData, type PersonalDataHit } from './personalDataScan'

/** 张三丰 → 张**: the first character only (family names are rarely unique). */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length === 0) return ''
  if (chars.length === 1) return '*'
  return chars[0] + '*'.repeat(chars.length - 1)
}

/** 511025199001011234 → 511025********1234: the region prefix stays because drilling needs it. */
export function maskIdNumber(id: string): string {
  const value = id.trim()
  if (value.length < 11) return '*'.repeat(value.length)
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4)
}

/** 18012341999 → 180****1999. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '')
  if (digits.length < 8) return '*'.repeat(digits.length)
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4)
}

/**
 * 6222021234563256 → 6222 **** **** 3256, whatever the length (16–19 digits), so the masked form
 * does not reveal the card's length either.
 */
export function maskCard(card: string): string {
  const digits = card.replace(/[\s-]/g, '')
  if (digits.length < 12) return '*'.repeat(digits.length)
  return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`
}

/** Personal fields of a payment-detail-like row and how each is masked. */
export const PERSONAL_FIELDS = {
  person_name: maskName,
  account_holder: maskName,
  proxy_holder_name: maskName,
  id_number: maskIdNumber,
  holder_id_number: maskIdNumber,
  proxy_holder_id: maskIdNumber,
  card_number: maskCard,
  phone: maskPhone,
} as const satisfies Record<string, (value: string) => string>

export type PersonalField = keyof typeof PERSONAL_FIELDS

/** A copy of `row` with every personal field masked; other fields unchanged. */
export function maskRecord<T extends Record<string, unknown>>(row: T): T {
  const masked: Record<string, unknown> = { ...row }
  for (const [field, mask] of Object.entries(PERSONAL_FIELDS)) {
    const value = masked[field]
    if (typeof value === 'string' && value !== '') masked[field] = mask(value)
    else if (value !== undefined && value !== null && value !== '') masked[field] = mask(String(value))
  }
  return masked as T
}
