/**
 * PNG text chunks (iTXt, UTF-8): an exported picture carries its title and 数据截至 as data too, so a
 * program (or a test) can read what a person reads in its header band.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  const typed = new TextEncoder().encode(type)
  out.set(typed, 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** Inserts iTXt chunks (keyword → UTF-8 text) right after the IHDR chunk. */
export function withTextChunks(png: Uint8Array, entries: Record<string, string>): Uint8Array {
  const ihdrEnd = 8 + 12 + new DataView(png.buffer, png.byteOffset).getUint32(8)
  const encoder = new TextEncoder()
  const chunks = Object.entries(entries).map(([keyword, text]) => {
    const key = encoder.encode(keyword)
    const value = encoder.encode(text)
    // keyword \0, compression flag 0, method 0, language '' \0, translated keyword '' \0, text
    const data = new Uint8Array(key.length + 5 + value.length)
    data.set(key, 0)
    data.set(value, key.length + 5)
    return chunk('iTXt', data)
  })
  const total = png.length + chunks.reduce((sum, c) => sum + c.length, 0)
  const out = new Uint8Array(total)
  out.set(png.subarray(0, ihdrEnd), 0)
  let at = ihdrEnd
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  out.set(png.subarray(ihdrEnd), at)
  return out
}

/** Reads the iTXt chunks back (keyword → text). */
export function readTextChunks(png: Uint8Array): Record<string, string> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const decoder = new TextDecoder()
  const found: Record<string, string> = {}
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at)
    const type = decoder.decode(png.subarray(at + 4, at + 8))
    if (type === 'iTXt') {
      const data = png.subarray(at + 8, at + 8 + length)
      const keyEnd = data.indexOf(0)
      let textAt = keyEnd + 3
      textAt = data.indexOf(0, textAt) + 1 // language tag
      textAt = data.indexOf(0, textAt) + 1 // translated keyword
      found[decoder.decode(data.subarray(0, keyEnd))] = decoder.decode(data.subarray(textAt))
    }
    if (type === 'IEND') break
    at += 12 + length
  }
  return found
}
