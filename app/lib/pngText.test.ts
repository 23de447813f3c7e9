import { describe, expect, it } from 'vitest'
import zlib from 'node:zlib'
import { readTextChunks, withTextChunks } from './pngText'

/** A real 1×1 PNG (built here with zlib, as any encoder would write it). */
function tinyPng(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4)
    head.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const tail = Buffer.alloc(4)
    tail.writeUInt32BE(crc(body))
    return Buffer.concat([head, body, tail])
  }
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
  return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 10, 26, 54]))), chunk('IEND', Buffer.alloc(0))]))
}

describe('PNG text chunks', () => {
  it('writes Chinese title and 数据截至 and reads them back; the file stays a valid PNG', () => {
    const png = withTextChunks(tinyPng(), { Title: '各地区发放金额（总览）', Description: '数据截至 2024-10-22 14:05:09（北京时间）' })
    expect(readTextChunks(png)).toEqual({ Title: '各地区发放金额（总览）', Description: '数据截至 2024-10-22 14:05:09（北京时间）' })
    expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG')
    expect(readTextChunks(tinyPng())).toEqual({})
  })
})
