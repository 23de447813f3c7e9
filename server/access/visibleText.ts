/**
 * Rules on what people type (passwords, reveal reasons) count what a person can see. JavaScript's
 * `length` counts UTF-16 units, so ten spaces, or zero-width spaces that render as nothing, passed
 * "at least 10 characters". Here text is NFKC-normalised (full-width letters become plain ones),
 * trimmed, and characters that show nothing (format characters such as U+200B–U+200F, U+2060,
 * U+FEFF; controls; Hangul and Braille blanks) are refused outright rather than silently dropped,
 * so what is stored is what was shown.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u115F\u1160\u3164\uFFA0\u2800]/u
const SPACE = /\s/u

export function normalizeTyped(text: string): string {
  return text.normalize('NFKC').trim()
}

/** True when the text holds a character that renders as nothing (tabs and newlines included). */
export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text.normalize('NFKC'))
}

/** Characters a reader sees: code points that are neither white space nor invisible. */
export function visibleCount(text: string): number {
  let count = 0
  for (const char of text.normalize('NFKC')) if (!SPACE.test(char) && !INVISIBLE.test(char)) count++
  return count
}

const HAN = /\p{Script=Han}/u
const WORD = /[\p{L}\p{N}]/u

/**
 * A reason someone can be held to: at least 4 Chinese characters, or 12 letters and digits in
 * another script (a Han character says about as much as three Latin letters), of at least 3
 * different characters. `....`, `abcd` or `啊啊啊啊` are not reasons.
 */
export function reasonProblem(text: string): string | null {
  if (hasInvisible(text)) return '理由含有不可见字符'
  const normalized = normalizeTyped(text)
  let weight = 0
  const distinct = new Set<string>()
  for (const char of normalized) {
    if (!WORD.test(char)) continue
    distinct.add(char.toLowerCase())
    weight += HAN.test(char) ? 3 : 1
  }
  if (weight < 12 || distinct.size < 3) return '须说明查看理由（至少 4 个汉字，或 12 个字母、数字）'
  return null
}
