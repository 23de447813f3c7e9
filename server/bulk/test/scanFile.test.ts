import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scanFile } from '../fileSource'

/**
 * scanFile reads a file in 4 MB pieces: a character cut by a piece's end must be checked with the
 * bytes that complete it, neither refused for being cut nor let through when it is broken.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykt-scan-file-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const PIECE = 4 << 20
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex')

function fileOf(name: string, ...parts: Buffer[]): { file: string; bytes: Buffer } {
  const bytes = Buffer.concat(parts)
  const file = path.join(dir, name)
  fs.writeFileSync(file, bytes)
  return { file, bytes }
}

describe('scanFile: sha256 and UTF-8 in one read', () => {
  it('accepts characters of 2, 3 and 4 bytes cut at every place by the first piece end', async () => {
    for (const character of ['é', '张', '𠀀']) {
      const encoded = Buffer.from(character)
      for (let cut = 1; cut < encoded.length; cut++) {
        const { file, bytes } = fileOf(`ok-${encoded.length}-${cut}.csv`, Buffer.alloc(PIECE - cut, 0x61), encoded, Buffer.from('尾'))
        expect(await scanFile(file)).toEqual({ contentHash: sha256(bytes), utf8: true })
      }
    }
  })

  it('refuses a broken character across the piece end, a lone continuation byte and a character cut at the end of the file', async () => {
    const broken = fileOf('broken.csv', Buffer.alloc(PIECE - 1, 0x61), Buffer.from([0xe5, 0x41, 0x42]))
    const lone = fileOf('lone.csv', Buffer.alloc(PIECE, 0x61), Buffer.from([0x80]), Buffer.from('abc'))
    const cutAtEnd = fileOf('cut-end.csv', Buffer.from('明细'), Buffer.from('张').subarray(0, 2))
    for (const { file, bytes } of [broken, lone, cutAtEnd]) expect(await scanFile(file)).toEqual({ contentHash: sha256(bytes), utf8: false })
    expect((await scanFile(path.join(dir, 'ok-3-1.csv'))).utf8).toBe(true)
  })
})
