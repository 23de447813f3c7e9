import { z } from 'zod'

/**
 * The contract between the server's live hub and the wall pages. Browser-safe: no Node imports.
 *
 * A dashboard (theme) is a grid of panels on a 1920×1080 design canvas. A panel names a metric
 * from the server's registry (server/metrics) and its parameters, never SQL. The live hub computes
 * each room (dashboard × region) once per tick and pushes the panels whose data changed.
 */

export const THEME_IDS = ['overview', 'budget', 'payments', 'alerts', 'outreach', 'rectification'] as const
export type ThemeId = (typeof THEME_IDS)[number]

export const themeTitles: Record<ThemeId, string> = {
  overview: '总览',
  budget: '预算执行',
  payments: '发放分析',
  alerts: '监管预警',
  outreach: '政策找人',
  rectification: '问题整改',
}

export const panelKinds = ['kpi', 'bar', 'hbar', 'line', 'pie', 'map', 'treemap', 'table', 'ticker', 'funnel', 'gauge'] as const
export const units = ['元', '万元', '亿元', '人', '万人', '人次', '万人次', '笔', '条', '个', '天', '%'] as const

/**
 * The period a panel's figure covers, shown on every panel. A panel that follows the review page's
 * year filter covers that year instead while the filter is set (see panelPeriodLabel).
 */
export const periods = {
  now: '当前',
  today: '今日',
  month: '本月',
  year: '本年',
  fiscalYear: '本预算年度',
  months12: '近12个月',
  months24: '近24个月',
  years: '历年',
  all: '累计',
} as const
export type PanelPeriod = keyof typeof periods

/** Review filters a panel may honour: 年度, 项目 (project code), 部门 (department name). */
export const REVIEW_FILTERS = ['year', 'project', 'dept'] as const
export type ReviewFilterKind = (typeof REVIEW_FILTERS)[number]
export const reviewFilterTitles: Record<ReviewFilterKind, string> = { year: '年度', project: '项目', dept: '部门' }

export const thresholdSchema = z
  .object({
    above: z.number().optional(),
    below: z.number().optional(),
    /** behind the data's reference (序时进度) by more than this many units, e.g. 10 percentage points */
    behind: z.number().positive().optional(),
    level: z.enum(['warn', 'critical']),
  })
  .strict()

export const panelSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-zA-Z0-9-]*$/),
    title: z.string().min(1),
    /** Name of a metric in the server registry; checked against it at start-up. */
    metric: z.string().min(1),
    /** Fixed parameters of the metric; the room's region is added by the hub. */
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    kind: z.enum(panelKinds),
    unit: z.enum(units).optional(),
    /** Grid cell on the design canvas: 24 columns × 12 rows of 1920×1080. */
    grid: z
      .object({ x: z.number().int().min(0).max(23), y: z.number().int().min(0).max(11), w: z.number().int().min(1).max(24), h: z.number().int().min(1).max(12) })
      .strict(),
    thresholds: z.array(thresholdSchema).default([]),
    /** What period the figure covers (今日 / 本月 / 本年 / 累计 …): shown in the panel's footer. */
    period: z.enum(Object.keys(periods) as [PanelPeriod, ...PanelPeriod[]]),
    /**
     * The review filters this panel follows. Checked against the metric's parameters (a panel may
     * not declare a filter its metric cannot apply, nor leave out one it applies); a panel that
     * does not follow an active filter says so on screen instead of showing unfiltered numbers.
     */
    filters: z.array(z.enum(REVIEW_FILTERS)).default([]),
    /** Seconds after which the panel's data counts as stale and greys out. */
    staleAfterSec: z.number().int().positive().default(120),
    /**
     * What the panel says when it has nothing to show (no rows, nothing above zero). For a panel of
     * problems, nothing is news: 无逾期未整改事项, not 暂无数据, which reads as a feed that failed.
     */
    empty: z.string().min(1).optional(),
  })
  .strict()

/** Rows of a portrait (9:16) screen: 24 rows of a 1080×1920 canvas; the panels of a row share its width. */
export const PORTRAIT_ROWS = 24
export const PORTRAIT_COLUMNS = 12
export const portraitRowSchema = z
  .object({ h: z.number().int().min(1).max(PORTRAIT_ROWS), panels: z.array(z.string()).min(1).max(PORTRAIT_COLUMNS) })
  .strict()

export const dashboardSchema = z
  .object({
    id: z.enum(THEME_IDS),
    title: z.string().min(1),
    /** Seconds this theme stays on screen in /wall rotation. */
    dwellSec: z.number().int().positive().default(30),
    panels: z.array(panelSchema).min(1),
    /**
     * The arrangement on a portrait (9:16) screen, top to bottom: every panel once, rows summing to
     * 24. Every shipped theme has one (dashboards.test.ts); optional in the schema only so a theme
     * made in a test need not carry it.
     */
    portrait: z.array(portraitRowSchema).min(1).optional(),
  })
  .strict()
  .superRefine((dashboard, context) => {
    const ids = new Set<string>()
    for (const panel of dashboard.panels) {
      if (ids.has(panel.id)) context.addIssue({ code: 'custom', message: `duplicate panel id ${panel.id}` })
      ids.add(panel.id)
      if (panel.grid.x + panel.grid.w > 24 || panel.grid.y + panel.grid.h > 12)
        context.addIssue({ code: 'custom', message: `panel ${panel.id} leaves the 24×12 grid` })
    }
    if (!dashboard.portrait) return
    const placed = dashboard.portrait.flatMap((row) => row.panels)
    const height = dashboard.portrait.reduce((sum, row) => sum + row.h, 0)
    if (height !== PORTRAIT_ROWS) context.addIssue({ code: 'custom', message: `portrait rows add up to ${height}, not ${PORTRAIT_ROWS}` })
    for (const id of ids) if (placed.filter((p) => p === id).length !== 1) context.addIssue({ code: 'custom', message: `portrait places panel ${id} ${placed.filter((p) => p === id).length} times` })
    for (const id of placed) if (!ids.has(id)) context.addIssue({ code: 'custom', message: `portrait names unknown panel ${id}` })
  })

/** Each panel's cell on the portrait grid (12 columns × 24 rows): a row's panels split its width. */
export function portraitGrid(dashboard: Pick<Dashboard, 'portrait' | 'panels'>): Record<string, Panel['grid']> {
  const cells: Record<string, Panel['grid']> = {}
  let y = 0
  // without an arrangement: two panels a row, equal heights (a theme made in a test)
  const rows = dashboard.portrait ?? pairs(dashboard.panels.map((p) => p.id))
  for (const row of rows) {
    let x = 0
    row.panels.forEach((id, i) => {
      // the last panel takes what is left, so 5 panels still fill 12 columns
      const w = i === row.panels.length - 1 ? PORTRAIT_COLUMNS - x : Math.floor(PORTRAIT_COLUMNS / row.panels.length)
      cells[id] = { x, y, w, h: row.h }
      x += w
    })
    y += row.h
  }
  return cells
}

function pairs(ids: string[]): Array<{ h: number; panels: string[] }> {
  const rows = Array.from({ length: Math.ceil(ids.length / 2) }, (_, i) => ids.slice(i * 2, i * 2 + 2))
  return rows.map((panels) => ({ h: Math.max(1, Math.floor(PORTRAIT_ROWS / rows.length)), panels }))
}

export type Panel = z.infer<typeof panelSchema>

/** The period label of a panel under the active review filters (e.g. 累计, or 2024年 when it follows the year). */
export function panelPeriodLabel(panel: Pick<Panel, 'period' | 'filters'>, active: Partial<Record<ReviewFilterKind, string>> = {}): string {
  if (active.year && panel.filters.includes('year')) return `${active.year}年`
  return periods[panel.period]
}

/** The active filters a panel does not follow, e.g. ['project'] → shown as 「不随项目筛选」. */
export function filtersNotFollowed(panel: Pick<Panel, 'filters'>, active: Partial<Record<ReviewFilterKind, string>>): ReviewFilterKind[] {
  return REVIEW_FILTERS.filter((kind) => active[kind] && !panel.filters.includes(kind))
}
export type Dashboard = z.infer<typeof dashboardSchema>

/** A line every bar is read against, e.g. 序时进度 on an execution chart. */
export interface Reference {
  label: string
  value: number
}

/** One region's figure in a ranking or map. */
export interface RegionRow {
  code: string
  name: string
  value: number
  extra?: Record<string, number>
  /**
   * Why this region has no figure (e.g. a county with nothing issued has no 执行率): its value is 0
   * and means nothing, so it is drawn as an empty bar labelled with this, never as 0 % in alarm.
   */
  note?: string
}

/** One series of figures, a figure per category. */
export interface SeriesValues {
  name: string
  values: number[]
  /**
   * Categories with no figure (an average over no items, e.g. a month in which nothing closed):
   * their value is 0 and means nothing, so they are drawn as a gap, exported as an empty cell and
   * never shown as 0.
   */
  gaps?: number[]
}

/** A series' figures in category order, a gap as null: what charts, exports and texts show. */
export function figuresOf(series: SeriesValues): Array<number | null> {
  if (!series.gaps?.length) return series.values
  const gaps = new Set(series.gaps)
  return series.values.map((value, i) => (gaps.has(i) ? null : value))
}

/** The inverse: figures with gaps (null) as a series' values and gap indices. */
export function seriesOfFigures(name: string, figures: Array<number | null>): SeriesValues {
  const gaps = figures.flatMap((figure, i) => (figure === null ? [i] : []))
  return { name, values: figures.map((figure) => figure ?? 0), ...(gaps.length > 0 ? { gaps } : {}) }
}

/** What a metric returns; the page picks the chart by the panel's kind. Amounts are in yuan. */
export type PanelData =
  | {
      kind: 'value'
      value: number
      /** optional comparison, e.g. 序时进度 or last year */
      compare?: { label: string; value: number }
      /** what the figure is of, e.g. 已销号 66 / 入台账 157 条 */
      note?: string
    }
  | { kind: 'series'; categories: string[]; series: SeriesValues[]; reference?: Reference }
  | { kind: 'regions'; rows: RegionRow[]; reference?: Reference }
  | { kind: 'table'; columns: Array<{ key: string; title: string }>; rows: Array<Record<string, string | number | null>> }
  | { kind: 'funnel'; stages: Array<{ name: string; value: number }> }
  /** The figure does not exist here (budget below county, a rate over no items): said, not left blank. */
  | { kind: 'notApplicable'; reason: string }
  /** The figure is not known yet (e.g. flags before the rules' first pass over the data): said, never shown as 0. */
  | { kind: 'pending'; reason: string }

// ---- Socket.IO protocol ----------------------------------------------------------------------

export interface Snapshot {
  ok: true
  room: string
  seq: number
  /** newest data time in the room's data, ISO 8601 */
  asOf: string | null
  /** server time the snapshot was computed, ISO 8601 */
  computedAt: string
  panels: Record<string, PanelData>
}

export type SubscribeAck = Snapshot | { ok: false; error: string }

/** server → room `update`: only the panels that changed since seq - 1. */
export interface RoomUpdate {
  room: string
  seq: number
  asOf: string | null
  computedAt: string
  panels: Record<string, PanelData>
}

/** server → every socket `heartbeat`, every few seconds: the wall shows freshness from it. */
export interface Heartbeat {
  serverTime: string
  /** latest seq per room the socket is in; a client that is behind asks for a snapshot */
  rooms: Record<string, number>
}

/** server → sockets `flag`: a new flag, masked, for the ticker and the rotation's jump. */
export interface FlagEvent {
  flagId: string
  ruleId: string
  ruleName: string
  severity: 'info' | 'warn' | 'critical'
  regionCode: string
  regionName: string
  amount: number | null
  /** masked person or entity label, e.g. 张** 5110**********1234 */
  subject: string
  detectedAt: string
}

export const socketEvents = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  snapshot: 'snapshot',
  update: 'update',
  heartbeat: 'heartbeat',
  flag: 'flag',
  /** Sent to every socket just before the server disconnects it on a planned stop: `{ reason }`. */
  closing: 'closing',
} as const

/** The reason a wall shows while the server restarts (deploy, update): reconnecting follows. */
export const SERVER_RESTARTING = '服务重启中'

export function roomName(dashboard: ThemeId, region: string): string {
  return `${dashboard}:${region}`
}
