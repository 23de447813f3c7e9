/**
 * SQL fragments that check one raw text value of a staged row and say what is wrong with it, the
 * same rules as the HTTP feed (server/ingest/fields.ts) written for ClickHouse, so millions of rows
 * are checked by the engine instead of record by record in Node. Every fragment is fixed text over
 * an expression the loader built from its own whitelisted names; values arrive as {name:Type}.
 * A problem is ('field', 'reason'); ('', '') means none.
 */

export const NO_PROBLEM = "('', '')"

/**
 * How a check writes its outcome: the problem itself, or 1/0 (is there one?). A staging statement
 * ORs a row's checks as flags first and builds its list of problems only where one is set (the
 * second branch of if() is evaluated for those rows only). Building some 30 (field, reason) tuples
 * for every row had cost a sixth of the statement: over the same 1M rows held in memory, 2.12–2.33
 * CPU s and 1.17–1.25 s wall before, 1.85–1.89 CPU s and 1.07–1.09 s after (scratch, 4 rounds alternated).
 */
export interface Verdicts {
  /** `reason` is SQL: a quoted text or an expression giving one */
  bad: (field: string, reason: string) => string
  none: string
}
export const AS_PROBLEMS: Verdicts = { bad: (field, reason) => `('${field}', ${reason})`, none: NO_PROBLEM }
export const AS_FLAGS: Verdicts = { bad: () => '1', none: '0' }

export const problem = (field: string, condition: string, reason: string, verdicts: Verdicts = AS_PROBLEMS) =>
  `if(${condition}, ${verdicts.bad(field, `'${reason}'`)}, ${verdicts.none})`

/** The statement's `problems` column from its checks (written with `verdicts`): empty unless a flag is set. */
export const problemsOf = (checks: (verdicts: Verdicts) => string[]) =>
  `if(${checks(AS_FLAGS).join('\n    OR ')},
  arrayFilter(p -> p.1 != '', [
    ${checks(AS_PROBLEMS).join(',\n    ')}
  ]), [])`

/**
 * GB 11643 check character of the first 17 characters (digits; the format check refuses anything
 * else first). Written out as 17 products: the arrayMap form took 6× longer (858 vs 136 ms per
 * 200k numbers, measured side by side).
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
export const idCheckCharacter = (id: string) =>
  `substring('10X98765432', ((${ID_WEIGHTS.map((w, i) => `(toUInt16(ascii(substring(${id}, ${i + 1}, 1))) - 48) * ${w}`).join(' + ')}) % 11) + 1, 1)`

/** Calendar arithmetic, not date functions: Date's range starts in 1970, birth dates do not. */
const realDate = (y: string, m: string, d: string, anyYear = false) =>
  `(${anyYear ? '1 = 1' : `${y} BETWEEN 1900 AND 2299`} AND ${m} BETWEEN 1 AND 12 AND ${d} >= 1 AND ${d} <= arrayElement([31, 28 + toUInt8(${y} % 4 = 0 AND (${y} % 100 != 0 OR ${y} % 400 = 0)), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], least(greatest(${m}, 1), 12)))`

/** Why `v` is not a valid 身份证号 ('' when it is): the checks of server/ingest/idNumber.ts. */
export const idNumberReason = (v: string) => `multiIf(
    ${v} = '', 'is required',
    lengthUTF8(${v}) != 18, 'must be 18 characters',
    NOT match(${v}, '^[1-9]\\\\d{16}[\\\\dX]$'), 'must be 17 digits (not starting with 0) and a digit or upper-case X',
    NOT ${realDate(`toUInt16OrZero(substring(${v}, 7, 4))`, `toUInt8OrZero(substring(${v}, 11, 2))`, `toUInt8OrZero(substring(${v}, 13, 2))`, true)}, 'birth date (digits 7–14) is not a real date',
    substring(${v}, 7, 4) < '1900', 'birth date (digits 7–14) is before 1900',
    substring(${v}, 7, 8) > {today8:String}, 'birth date (digits 7–14) is in the future',
    ${idCheckCharacter(`substring(${v}, 1, 17)`)} != substring(${v}, 18, 1), 'checksum digit wrong',
    '')`

/**
 * A date or time as banks write them: 2024-05-03, 2024/5/3, 20240503, 2024年5月3日, each optionally
 * followed by HH:MM[:SS]. In an Excel file a date cell holds a serial day number (45400 = 2024-04-18),
 * read as such when `excelSerials` is set.
 */
const DATE_TIME = '^(\\\\d{4})[-/.年]?(\\\\d{1,2})[-/.月]?(\\\\d{1,2})日?(?:[ T](\\\\d{1,2})[:：](\\\\d{2})(?:[:：](\\\\d{2}))?)?$'
export const dateParts = (v: string, excelSerials: boolean) => {
  const text = excelSerials
    ? `if(match(${v}, '^\\\\d{4,5}(\\\\.\\\\d+)?$'), formatDateTime(addSeconds(toDateTime64('1900-01-01 00:00:00', 0, 'UTC'), toInt64(round((toFloat64(${v}) - 2) * 86400))), '%Y-%m-%d %H:%i:%s', 'UTC'), ${v})`
    : v
  return `extractGroups(${text}, '${DATE_TIME}')`
}
/** Over the array of dateParts: y, m, d, h, mi, s as numbers. */
const part = (g: string, i: number) => (i === 1 ? `toUInt16OrZero(${g}[1])` : `toUInt8OrZero(${g}[${i}])`)
export const isRealDateTime = (g: string) =>
  `(length(${g}) = 6 AND ${realDate(part(g, 1), part(g, 2), part(g, 3))} AND ${part(g, 4)} <= 23 AND ${part(g, 5)} <= 59 AND ${part(g, 6)} <= 59)`
/**
 * The canonical form 2024-05-03 10:00:00, as most files write it, read without the regular
 * expression: parseDateTime, then formatted back and compared, so only text that is exactly a real
 * date-time in that form takes this way (2024-02-30, 24:00:00 or a year past DateTime's range come
 * back null or different and go through dateParts). Measured over 1M values (scripts/bench/dateParseCost.ts):
 * dateParts + isRealDateTime + toTime 1.4 CPU s, this 0.1–0.2 CPU s.
 */
export const canonicalTime = (v: string) => `parseDateTimeOrNull(${v}, '%Y-%m-%d %H:%i:%s', 'Asia/Shanghai')`
export const isCanonicalTime = (parsed: string, v: string) => `ifNull(formatDateTime(${parsed}, '%Y-%m-%d %H:%i:%S', 'Asia/Shanghai') = ${v}, 0)`
/** Valid parts → DateTime (Asia/Shanghai); invalid → 1970 (the row is refused anyway). */
export const toTime = (g: string) =>
  `if(${isRealDateTime(g)} AND ${part(g, 1)} >= 1970, makeDateTime(${part(g, 1)}, ${part(g, 2)}, ${part(g, 3)}, ${part(g, 4)}, ${part(g, 5)}, ${part(g, 6)}, 'Asia/Shanghai'), toDateTime(0, 'Asia/Shanghai'))`
export const toDate32 = (g: string) =>
  `if(${isRealDateTime(g)}, makeDate32(${part(g, 1)}, ${part(g, 2)}, ${part(g, 3)}), toDate32('1900-01-01'))`

/** Amount text → ('ok', Decimal(14,2)); 元 with at most two decimals (thousands commas allowed), or whole 分. */
export const amountOk = (v: string, unit: '元' | '分') =>
  unit === '元' ? `match(replaceAll(${v}, ',', ''), '^\\\\d{1,12}(\\\\.\\\\d{1,2})?$')` : `match(${v}, '^\\\\d{1,14}$')`
export const amountValue = (v: string, unit: '元' | '分') =>
  unit === '元'
    ? `toDecimal64OrZero(replaceAll(${v}, ',', ''), 2)`
    : `toDecimal64(toDecimal128OrZero(${v}, 2) / 100, 2)`

/** Record ids (detail, household, plan, voucher, document numbers) as fields.ts recordId. */
export const RECORD_ID = '^[\\\\x21-\\\\x7E\\\\p{Han}\\\\x{3001}-\\\\x{303F}]{1,64}$'
/** Person names as fields.ts personName. */
export const PERSON_NAME = "^(?:[\\\\p{Han}〇]+(?:·[\\\\p{Han}〇]+)*|[A-Za-z]+(?:[ .''-][A-Za-z]+)*)$"
/** Control, format, private-use and unassigned characters (fields.ts HIDDEN), tabs and newlines allowed. */
export const HIDDEN = '[^\\\\P{C}\\\\n\\\\t]'
