/** Cuts text to at most `maxBytes` of UTF-8 (robots count bytes, and Chinese is 3 bytes a character). */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  const suffix = '\n…（内容过长已截断）'
  let cut = text.slice(0, maxBytes)
  while (Buffer.byteLength(cut) + Buffer.byteLength(suffix) > maxBytes) cut = cut.slice(0, Math.floor(cut.length * 0.9))
  return cut + suffix
}
