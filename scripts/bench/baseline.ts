import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

/**
 * A checkout of another commit (the previous figures' code) for the bench to run beside this one:
 * `git archive` of the ref into /tmp (once per commit), sharing this checkout's node_modules. Only
 * read from the repository; nothing in this worktree or any other changes.
 */
export function baselineCheckout(ref: string, log: (line: string) => void): { dir: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim()
  const dir = `/tmp/ykt-bench-baseline-${commit.slice(0, 12)}`
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    log(`baseline: exporting ${ref} (${commit.slice(0, 12)}) to ${dir}`)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    const archive = execFileSync('git', ['archive', '--format=tar', commit], { maxBuffer: 1 << 30 })
    execFileSync('tar', ['-x', '-C', dir], { input: archive })
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'))
  }
  return { dir, commit }
}
