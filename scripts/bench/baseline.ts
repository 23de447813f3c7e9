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

/** Where the baseline's server keeps its data: beside this run's data directory. */
export const baselineDataDir = (dataDir: string) => `${dataDir}-baseline`

/**
 * Before this run's server writes to `dataDir`, a copy of it for the baseline's server, so both
 * builds start from the same rows. Without it the baseline seeded data of its own (a demo seed ends
 * last month, a copied directory may not), and the rule engine and live core then had other work
 * beside the same batches. At the demo scale, this build ÷ the baseline for 4 senders came out at
 * 1.16× and 1.30× against the baseline's own seed and at 1.00× on the same rows, in runs of the same
 * hour. A fresh run (`fresh` presets) seeds both instead.
 */
export function copyDataForBaseline(dataDir: string, log: (line: string) => void): void {
  if (!fs.existsSync(dataDir)) return
  const target = baselineDataDir(dataDir)
  log(`baseline: copying ${dataDir} to ${target} (same rows for both builds)`)
  fs.rmSync(target, { recursive: true, force: true })
  fs.cpSync(dataDir, target, { recursive: true })
}
