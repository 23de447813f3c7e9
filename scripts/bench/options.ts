/**
 * `npm run bench -- [--scale small|demo|10m|full|<payments>] [options]`. A scale is a preset of
 * data size and load; each option below overrides its preset.
 */
export interface BenchOptions {
  scale: string
  /** DEMO_SCALE given to the server: the demo generator fills an empty data directory. */
  demoScale: string
  dataDir: string
  /** Start from an empty data directory (seed again). */
  fresh: boolean
  apiOnly: boolean
  /** false with --no-rule-settle: measure without waiting for the rule engine's first pass */
  settleRules: boolean
  sections: string[] | null
  screens: number
  /** latency batches with one screen per room, and with `screens` screens */
  lightBatches: number
  loadedBatches: number
  batchRows: number
  batchIntervalMs: number
  /** after the last latency batch, how long screens may still show it (later counts as missed) */
  settleMs: number
  /** rooms per theme in the full-refresh section (≥ 100: one sample each) */
  refreshRooms: number
  pollers: number
  pollSeconds: number
  ingestBatches: number
  ingestRows: number
  /** cold loads of /wall in headless Chromium (wall-weight section) */
  wallLoads: number
  /** another production build (its project directory) whose /wall first-load JS is printed beside this one's */
  wallBase: string | null
  /**
   * A git ref (e.g. main) whose server the ingest section also measures, after this one, with the
   * same senders and data scale: the previous figures beside the new ones. null: this server only.
   */
  baseline: string | null
}

type Preset = Omit<BenchOptions, 'scale' | 'dataDir' | 'apiOnly' | 'settleRules' | 'sections' | 'wallBase' | 'baseline'>

const common = { wallLoads: 5, batchRows: 200, batchIntervalMs: 2000, settleMs: 15_000, refreshRooms: 100, lightBatches: 50, ingestRows: 10_000 }
const presets: Record<string, Preset> = {
  small: { ...common, demoScale: '100000', fresh: true, screens: 100, loadedBatches: 20, pollers: 100, pollSeconds: 15, ingestBatches: 4 },
  demo: { ...common, demoScale: 'demo', fresh: false, screens: 500, loadedBatches: 10, pollers: 500, pollSeconds: 20, ingestBatches: 6 },
  '10m': { ...common, demoScale: '10000000', fresh: false, screens: 500, loadedBatches: 10, pollers: 500, pollSeconds: 20, ingestBatches: 6 },
  full: { ...common, demoScale: 'full', fresh: false, screens: 500, loadedBatches: 10, pollers: 500, pollSeconds: 20, ingestBatches: 6 },
}

export const USAGE = `npm run bench -- [--scale small|demo|10m|full|<payments>] [--sections a,b] [--api-only] [--fresh] [--no-rule-settle]
  [--screens N] [--light-batches N] [--loaded-batches N] [--pollers N] [--poll-seconds N] [--ingest-batches N]
  [--refresh-rooms N] [--wall-loads N] [--wall-base DIR] [--data-dir DIR] [--baseline GIT-REF]`

export function parseOptions(argv: string[]): BenchOptions {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]
    if (!name.startsWith('--')) throw new Error(`unexpected ${name}\n${USAGE}`)
    if (name === '--api-only' || name === '--fresh' || name === '--no-rule-settle') flags.set(name.slice(2), 'yes')
    else if (argv[i + 1] === undefined) throw new Error(`${name} needs a value\n${USAGE}`)
    else flags.set(name.slice(2), argv[++i])
  }
  const scale = flags.get('scale') ?? 'small'
  const preset = presets[scale] ?? (/^\d+$/.test(scale) ? { ...presets.demo, demoScale: scale } : undefined)
  if (!preset) throw new Error(`unknown scale ${scale}\n${USAGE}`)
  const number = (flag: string, fallback: number) => {
    const text = flags.get(flag)
    if (text === undefined) return fallback
    if (!/^\d+$/.test(text)) throw new Error(`--${flag} must be a whole number`)
    return Number(text)
  }
  return {
    ...preset,
    scale,
    dataDir: flags.get('data-dir') ?? `/tmp/ykt-bench-${scale}`,
    fresh: flags.has('fresh') || preset.fresh,
    apiOnly: flags.has('api-only'),
    settleRules: !flags.has('no-rule-settle'),
    sections: flags.get('sections')?.split(',') ?? null,
    baseline: flags.get('baseline') ?? null,
    screens: number('screens', preset.screens),
    lightBatches: number('light-batches', preset.lightBatches),
    loadedBatches: number('loaded-batches', preset.loadedBatches),
    refreshRooms: number('refresh-rooms', preset.refreshRooms),
    pollers: number('pollers', preset.pollers),
    pollSeconds: number('poll-seconds', preset.pollSeconds),
    ingestBatches: number('ingest-batches', preset.ingestBatches),
    wallLoads: number('wall-loads', preset.wallLoads),
    wallBase: flags.get('wall-base') ?? null,
  }
}
