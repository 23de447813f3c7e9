import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigError } from './config'
import { describeBudget, descriptorBudget, parseOpenFilesLimit } from './descriptors'

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63704                63704                processes
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`

describe('open-files limit and socket cap', () => {
  it('reads the soft and hard limit from /proc/self/limits', () => {
    expect(parseOpenFilesLimit(LIMITS)).toEqual({ soft: 20000, hard: 20000 })
    expect(parseOpenFilesLimit(LIMITS.replace('20000                20000', '1024                 524288'))).toEqual({ soft: 1024, hard: 524288 })
    expect(parseOpenFilesLimit('no such line')).toBeNull()
  })

  it('keeps a quarter of the limit from sockets by default, and half of that from HTTP connections', () => {
    const budget = descriptorBudget(undefined, { soft: 20000, hard: 20000 })
    expect(budget).toMatchObject({ socketCap: 15000, connectionCap: 17500, configured: false })
    expect(describeBudget(budget)).toBe('open files: 20000 (at the hard limit); sockets capped at 15000, HTTP connections at 17500')
  })

  it('takes a configured cap, and refuses one that leaves the engine too few descriptors', () => {
    expect(descriptorBudget(3, { soft: 20000, hard: 20000 })).toMatchObject({ socketCap: 3, connectionCap: 10001, configured: true })
    expect(() => descriptorBudget(19900, { soft: 20000, hard: 20000 })).toThrow(ConfigError)
    expect(() => descriptorBudget(19900, { soft: 20000, hard: 20000 })).toThrow(/SOCKET_CAP: 19900 .* \(at most 19744\)/)
  })

  it('says when the soft limit is below the hard one', () => {
    expect(describeBudget(descriptorBudget(undefined, { soft: 1024, hard: 524288 }))).toMatch(/^open files: 1024 \(hard limit 524288: start with npm start/)
  })

  it("npm start's shell raises the soft limit to the hard one before node starts", () => {
    const start: string = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts.start
    const raise = start.slice(0, start.indexOf(';'))
    expect(raise).toMatch(/^ulimit -n/)
    const hard = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim())
    const result = spawnSync('sh', ['-c', `ulimit -Sn 256; ${raise}; exec node -e "process.stdout.write(require('fs').readFileSync('/proc/self/limits','utf8'))"`], { encoding: 'utf8' })
    expect(parseOpenFilesLimit(result.stdout)).toEqual({ soft: hard, hard })
  })
})
