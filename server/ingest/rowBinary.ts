/**
 * ClickHouse's RowBinary format for the payments INSERT: each value in its column type's binary
 * form, row after row, nothing to parse. The engine read the same 10k payments as text
 * (JSONCompactEachRow) in 76–88 ms, as RowBinary in 29–34 ms (scratch, 6 rounds, into a copy of
 * payment_detail without views; the stored rows were the same), and chDB runs one statement at a
 * time, so an INSERT's length caps what HTTP ingest can store per second.
 *
 * Values are the checked record's (fused/paymentRow.ts or the feed schema): strings, the period and
 * proxy flag as numbers, amounts as decimal text, times 'YYYY-MM-DD HH:mm:ss' and dates
 * 'YYYY-MM-DD' in Beijing time, null for an absent approval time. A value of another shape is a
 * programming error and throws: it never reaches the engine as something else.
 */

import { BEIJING_OFFSET_MS } from '../beijingTime'

type Encoder = (out: RowBinaryOut, value: unknown) => void

export class RowBinaryOut {
  at = 0
  constructor(public buffer: Buffer<ArrayBuffer>) {}

  /** Room for `bytes` more; the buffer doubles when short. */
  room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes))
    this.buffer.copy(grown, 0, 0, this.at)
    this.buffer = grown
  }

  varUInt(n: number): void {
    this.room(10)
    while (n >= 0x80) {
      this.buffer[this.at++] = (n & 0x7f) | 0x80
      n = Math.floor(n / 128)
    }
    this.buffer[this.at++] = n
  }

  /**
   * UTF-8 bytes after their length, encoded here rather than by Buffer.write: a batch has some 400k
   * short strings, and the call per string cost more than the encoding (a lone surrogate, which the
   * checks refuse anyway, becomes U+FFFD as Buffer.write would write it).
   */
  string(text: string): void {
    this.room(text.length * 3 + 10)
    const buffer = this.buffer
    const start = this.at + 1 // room for a one-byte length, moved below when longer
    let at = start
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i)
      if (c < 0x80) {
        buffer[at++] = c
      } else if (c < 0x800) {
        buffer[at++] = 0xc0 | (c >> 6)
        buffer[at++] = 0x80 | (c & 0x3f)
      } else if (c >= 0xd800 && c < 0xe000) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
        if (c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
          i++
          buffer[at++] = 0xf0 | (c >> 18)
          buffer[at++] = 0x80 | ((c >> 12) & 0x3f)
          buffer[at++] = 0x80 | ((c >> 6) & 0x3f)
          buffer[at++] = 0x80 | (c & 0x3f)
        } else {
          buffer[at++] = 0xef
          buffer[at++] = 0xbf
          buffer[at++] = 0xbd
        }
      } else {
        buffer[at++] = 0xe0 | (c >> 12)
        buffer[at++] = 0x80 | ((c >> 6) & 0x3f)
        buffer[at++] = 0x80 | (c & 0x3f)
      }
    }
    const bytes = at - start
    if (bytes < 0x80) {
      buffer[this.at] = bytes
      this.at = at
      return
    }
    // a length of two or more bytes: move the text over by what the length takes beyond one byte
    let size = 1
    for (let n = bytes; n >= 0x80; n = Math.floor(n / 128)) size++
    buffer.copy(buffer, this.at + size, start, at)
    this.varUInt(bytes)
    this.at += bytes
  }

  /** A whole number below 2^53 as Int64, little-endian (two 32-bit halves: no BigInt per value). */
  int64(n: number): void {
    this.room(8)
    this.buffer.writeUInt32LE(n % 0x100000000, this.at)
    this.buffer.writeUInt32LE(Math.floor(n / 0x100000000), this.at + 4)
    this.at += 8
  }
}

const DAY_MS = 86_400_000

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,2}))?$/

/** Digits of `text` from `from` to `to` (exclusive) as a number; NaN when one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48
    if (d < 0 || d > 9) return NaN
    n = n * 10 + d
  }
  return n
}

/** 'YYYY-MM-DD' → [y, m, d], or null (read by position: a batch has some 80k dates and times). */
function dateParts(text: string): [number, number, number] | null {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null
  const parts: [number, number, number] = [digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10)]
  return Number.isNaN(parts[0] + parts[1] + parts[2]) ? null : parts
}

function fail(type: string, value: unknown): never {
  throw new Error(`RowBinary: ${JSON.stringify(value)} is not a value of ${type}`)
}

function daysOf(type: string, value: unknown): number {
  const parts = typeof value === 'string' && value.length === 10 ? dateParts(value) : null
  if (!parts) fail(type, value)
  return Date.UTC(parts[0], parts[1] - 1, parts[2]) / DAY_MS
}

function secondsOf(type: string, value: unknown): number {
  const parts = typeof value === 'string' && value.length === 19 && value.charCodeAt(10) === 32 ? dateParts(value) : null
  const text = value as string
  const clock = parts && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58 ? [digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19)] : null
  if (!parts || !clock || Number.isNaN(clock[0] + clock[1] + clock[2])) fail(type, value)
  return Date.UTC(parts[0], parts[1] - 1, parts[2], clock[0], clock[1], clock[2]) / 1000 - BEIJING_OFFSET_MS / 1000
}

function wholeNumber(type: string, value: unknown, max: number): number {
  const n = typeof value === 'number' ? value : NaN
  if (!Number.isInteger(n) || n < 0 || n > max) fail(type, value)
  return n
}

/** The writer of one ClickHouse column type (the types payment_detail uses; anything else throws). */
export function encoderOf(type: string): Encoder {
  if (type.startsWith('Nullable(')) {
    const inner = encoderOf(type.slice('Nullable('.length, -1))
    return (out, value) => {
      out.room(1)
      if (value === null) {
        out.buffer[out.at++] = 1
      } else {
        out.buffer[out.at++] = 0
        inner(out, value)
      }
    }
  }
  if (type.startsWith('LowCardinality(')) return encoderOf(type.slice('LowCardinality('.length, -1))
  if (type.startsWith('Array(')) {
    const inner = encoderOf(type.slice('Array('.length, -1))
    return (out, value) => {
      if (!Array.isArray(value)) fail(type, value)
      out.varUInt(value.length)
      for (const item of value) inner(out, item)
    }
  }
  if (type === 'String') {
    return (out, value) => {
      if (typeof value !== 'string') fail(type, value)
      out.string(value)
    }
  }
  if (type === 'UInt8') {
    return (out, value) => {
      out.room(1)
      out.buffer[out.at++] = wholeNumber(type, value, 0xff)
    }
  }
  if (type === 'UInt32') {
    return (out, value) => {
      out.room(4)
      out.at = out.buffer.writeUInt32LE(wholeNumber(type, value, 0xffffffff), out.at)
    }
  }
  const enumMatch = /^Enum8\((.*)\)$/.exec(type)
  if (enumMatch) {
    const codes = new Map([...enumMatch[1].matchAll(/'([^']*)' = (-?\d+)/g)].map((m) => [m[1], Number(m[2])]))
    return (out, value) => {
      const code = typeof value === 'string' ? codes.get(value) : undefined
      if (code === undefined) fail(type, value)
      out.room(1)
      out.at = out.buffer.writeInt8(code, out.at)
    }
  }
  const decimalMatch = /^Decimal\((\d+), (\d+)\)$/.exec(type)
  if (decimalMatch && Number(decimalMatch[1]) <= 18 && Number(decimalMatch[2]) === 2) {
    // Decimal(P ≤ 18, 2) is an Int64 of hundredths. From the text, so 0.29 stays 29 (not 28.999…);
    // at most 15 digits before the point, so the hundredths stay below 2^53 (exact as a number).
    return (out, value) => {
      const m = DECIMAL.exec(typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '')
      if (!m) fail(type, value)
      const cents = Number(m[1]) * 100 + (m[2] === undefined ? 0 : m[2].length === 1 ? Number(m[2]) * 10 : Number(m[2]))
      out.int64(cents)
    }
  }
  if (type === "DateTime('Asia/Shanghai')") {
    return (out, value) => {
      out.room(4)
      out.at = out.buffer.writeUInt32LE(secondsOf(type, value), out.at)
    }
  }
  if (type === 'Date32') {
    return (out, value) => {
      out.room(4)
      out.at = out.buffer.writeInt32LE(daysOf(type, value), out.at)
    }
  }
  if (type === 'Date') {
    return (out, value) => {
      out.room(2)
      out.at = out.buffer.writeUInt16LE(daysOf(type, value), out.at)
    }
  }
  throw new Error(`RowBinary: no writer for type ${type}`)
}

/** Writers for a row of these types, in order. */
export function rowEncoder(types: readonly string[]): (out: RowBinaryOut, values: readonly unknown[]) => void {
  const encoders = types.map(encoderOf)
  return (out, values) => {
    if (values.length !== encoders.length) throw new Error(`RowBinary: a row of ${values.length} values for ${encoders.length} columns`)
    for (let i = 0; i < encoders.length; i++) encoders[i](out, values[i])
  }
}
