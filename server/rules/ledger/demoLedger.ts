import type { Principal } from '../../access/principal'
import type { AppContext } from '../../context'
import { CITY_CODE, getRegion } from '../../../geo/regions'
import { catalogue } from '../../catalogue/projectFacts'
import { select } from '../sql'
import { transitionFollowup } from './followups'
import { addLedgerEvidence, createLedgerItem, transitionLedgerItem } from './ledgerItems'
import { beijingDay } from '../../beijingTime'

/**
 * The demo's 问题整改 and 政策找人 themes need work in progress, not only fresh flags: after the
 * first full pass on the demo data, some flags become ledger items owned by the department that
 * pays the project, with deadlines around today (so some are 督办), and move through the states;
 * some 政策找人 leads are verified and enrolled. Everything goes through the ledger functions, so
 * the history is the same as a person's clicks would leave. Runs once: nothing if items exist.
 */
export interface DemoLedgerOptions {
  /** ledger items to open (default 160: about 2 % of the demo's flags) */
  items?: number
  /** 政策找人 leads to enroll (default: the article's share, 179 of 1441 suspects, of the leads there are) */
  followups?: number
  /** 'YYYY-MM-DD' the deadlines are spread around (default today in Shanghai, as 督办 is judged) */
  today?: string
}

export interface DemoLedgerResult {
  items: number
  closed: number
  cleared: number
  followupsMoved: number
}

/** The city's supervision office opens the items; it sees the whole city. */
const CITY_SUPERVISOR: Principal = { id: 'demo:city-supervision', name: '市财政局监督检查科', role: 'supervisor', scope: CITY_CODE }

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '罗', '高', '林']
const TITLES = ['科长', '股长', '副局长', '主任']
const OFFICE: Record<string, string> = { 卫健: '卫健委', 退役军人: '退役军人事务局', 组织部: '组织部', 残联: '残联', 医保: '医保局' }

/** Rectification evidence and "nothing wrong" reasons, by rule (default for the rest). */
const EVIDENCE: Record<string, string> = {
  R01: '已停发并追回死亡后发放资金，追缴凭证已上传',
  R02: '重复发放资金已追回，系统已增加同期重复校验',
  R03: '已与外县核对，停发本县重复部分并追回',
  R04: '已保留一项补贴，另一项停发并追回',
  R05: '已按标准重新核定，多发部分已追回',
  R06: '已核对户籍出生日期，停发不符合年龄条件的补贴',
  R07: '已停发救助并追回，移交纪委监委处理',
  R10: '已更正代发账户信息，重新发放到本人账户',
  R15: '已更正账户信息并重新发放成功',
  R16: '滞留资金已发放到卡，代发银行已说明原因',
  R18: '已督促发放到位，并约谈经办单位',
  R20: '已补录凭证与用款计划，链条金额一致',
}
const REASONS: Record<string, string> = {
  R08: '经村民代表会议评议，符合条件，回避制度已执行，公示无异议',
  R11: '经核实为同一村组代办员预留号码，已改为本人号码',
  R12: '车辆为营运用途且已报废，家庭收入仍低于救助标准',
  R19: '项目按季度集中发放，进度符合项目实施计划',
  R21: '本人年老行动不便，由子女代为保管，已补办代管备案',
  R23: '金额变化系补发上月差额，已附审批单',
  R24: '身份证信息已与公安户籍比对更正',
}
const DEFAULT_EVIDENCE = '已完成整改，相关凭证已上传'
const DEFAULT_REASON = '经入户核查，情况属实，资料齐全，不存在问题'

interface ChosenFlag {
  flag_id: string
  rule_id: string
  case_key: string
  county_code: string
  first_detail: string
}

export async function seedDemoLedger(ctx: AppContext, options: DemoLedgerOptions = {}): Promise<DemoLedgerResult> {
  const result: DemoLedgerResult = { items: 0, closed: 0, cleared: 0, followupsMoved: 0 }
  const [existing] = await select<{ n: string }>(ctx.db, 'SELECT count() AS n FROM ledger_item')
  if (Number(existing.n) > 0) {
    // Said as the seeding is: `npm run bench` on a reused demo database waits for this line.
    ctx.log.info('demo ledger: already present, left as it is')
    return result
  }
  const today = options.today ?? beijingDay()

  // Items from every rule, more from critical and warn ones (12 / 8 / 4 at most); the order is
  // fixed by a hash of the flag, so the same demo database gives the same ledger. R25 leads are
  // follow-ups, not ledger items.
  const chosen = await select<ChosenFlag>(
    ctx.db,
    `SELECT flag_id, rule_id, case_key, county_code, first_detail
     FROM (SELECT flag_id, rule_id, case_key, toString(county_code) AS county_code, if(empty(detail_ids), '', detail_ids[1]) AS first_detail,
                  severity, row_number() OVER (PARTITION BY rule_id ORDER BY cityHash64(flag_id)) AS rank
           FROM flag FINAL WHERE rule_id != 'R25')
     WHERE rank <= multiIf(severity = 'critical', 12, severity = 'warn', 8, 4)
     ORDER BY rank, rule_id
     LIMIT {items:UInt32}`,
    { items: options.items ?? 160 },
  )
  const depts = await departmentsOf(ctx, chosen)

  for (const [index, flag] of chosen.entries()) {
    const dept = depts.get(flag.flag_id) ?? '财政'
    const office = OFFICE[dept] ?? `${dept}局`
    const hash = hashOf(flag.flag_id)
    const owner: Principal = {
      id: `demo:${flag.county_code}:${dept}`,
      name: `${office}-${SURNAMES[hash % SURNAMES.length]}${TITLES[(hash >>> 8) % TITLES.length]}`,
      role: 'staff',
      scope: getRegion(flag.county_code) ? flag.county_code : CITY_CODE,
    }
    // Deadlines from 30 days ago to 45 days ahead: the early ones still open are 督办.
    const deadline = addDays(today, (hash % 76) - 30)
    const item = await createLedgerItem(ctx.db, CITY_SUPERVISOR, {
      flagId: flag.flag_id,
      ownerDept: `${getRegion(flag.county_code)?.name ?? ''}${office}`,
      ownerPerson: owner.name,
      deadline,
      note: '请于期限内核实整改并反馈',
    })
    result.items += 1
    // About a third stays 待核实, a quarter is 整改中, a quarter is closed, the rest cleared.
    const fate = index % 12
    if (fate < 4) continue
    if (fate >= 10 || flag.rule_id === 'R08') {
      await transitionLedgerItem(ctx.db, owner, item.item_id, '核实无问题', REASONS[flag.rule_id] ?? DEFAULT_REASON)
      result.cleared += 1
      continue
    }
    await transitionLedgerItem(ctx.db, owner, item.item_id, '整改中', '已核实，问题属实，正在整改')
    if (fate < 7) continue
    await addLedgerEvidence(ctx.db, owner, item.item_id, EVIDENCE[flag.rule_id] ?? DEFAULT_EVIDENCE)
    await transitionLedgerItem(ctx.db, CITY_SUPERVISOR, item.item_id, '已销号', '整改到位，同意销号')
    result.closed += 1
  }
  if (result.items > 0) ctx.dataChanged('ledger')

  result.followupsMoved = await moveFollowups(ctx, options.followups)
  if (result.followupsMoved > 0) ctx.dataChanged('outreach')
  ctx.log.info(`demo ledger: ${result.items} items (${result.closed} 已销号, ${result.cleared} 核实无问题), ${result.followupsMoved} 政策找人 leads moved`)
  return result
}

/** The article's 政策找人 outcome: 1441 suspects, 179 confirmed and enrolled. */
const ENROLLED_SHARE = 179 / 1441

/**
 * 政策找人: the article's share of the leads enrolled (verified first), half as many again verified
 * and waiting, and a fifth as many found not eligible.
 */
async function moveFollowups(ctx: AppContext, enrollCount?: number): Promise<number> {
  const [{ n }] = await select<{ n: string }>(ctx.db, "SELECT count() AS n FROM followup FINAL WHERE status = '疑似'")
  const enroll = enrollCount ?? Math.max(Number(n) > 0 ? 1 : 0, Math.round(Number(n) * ENROLLED_SHARE))
  const verifyOnly = Math.round(enroll / 2)
  const reject = Math.round(enroll / 5)
  const leads = await select<{ followup_id: string; kind: string; county_code: string }>(
    ctx.db,
    `SELECT followup_id, kind, toString(county_code) AS county_code FROM followup FINAL
     WHERE status = '疑似' ORDER BY cityHash64(followup_id) LIMIT {count:UInt32}`,
    { count: enroll + verifyOnly + reject },
  )
  for (const [index, lead] of leads.entries()) {
    const dept = lead.kind === '教育资助' ? '教育' : lead.kind === '护理补贴' ? '残联' : '民政'
    const scope = getRegion(lead.county_code) ? lead.county_code : CITY_CODE
    const who: Principal = { id: `demo:${lead.county_code}:${dept}`, name: `${OFFICE[dept] ?? `${dept}局`}-经办人`, role: 'staff', scope }
    if (index >= enroll + verifyOnly) {
      await transitionFollowup(ctx.db, who, lead.followup_id, '不符合', '入户核实：已在外地享受同类补贴')
      continue
    }
    await transitionFollowup(ctx.db, who, lead.followup_id, '已核实', '入户核实，符合条件')
    if (index < enroll) await transitionFollowup(ctx.db, who, lead.followup_id, '已纳入', '已办理申请，下月起发放')
  }
  return leads.length
}

/** The department that pays the project behind each flag, from its record, voucher, indicator or application. */
async function departmentsOf(ctx: AppContext, flags: readonly ChosenFlag[]): Promise<Map<string, string>> {
  const byFlag = new Map<string, string>()
  const details = flags.filter((flag) => flag.first_detail !== '')
  const voucherOf = (flag: ChosenFlag) => (flag.rule_id === 'R16' ? flag.case_key : flag.case_key.startsWith('voucher:') ? flag.case_key.slice(8) : '')
  const vouchers = flags.filter((flag) => voucherOf(flag) !== '')
  const indicators = flags.filter((flag) => flag.rule_id === 'R19')
  const applications = flags.filter((flag) => flag.rule_id === 'R17')
  const lookup = async (query: string, ids: string[]) =>
    new Map((await select<{ id: string; dept: string }>(ctx.db, query, { ids })).map((row) => [row.id, row.dept]))
  const byDetail = await lookup('SELECT detail_id AS id, toString(any(dept)) AS dept FROM payment_detail WHERE detail_id IN {ids:Array(String)} GROUP BY detail_id', details.map((flag) => flag.first_detail))
  const byVoucher = await lookup('SELECT voucher_id AS id, toString(any(dept)) AS dept FROM payment_voucher WHERE voucher_id IN {ids:Array(String)} GROUP BY voucher_id', vouchers.map(voucherOf))
  const byIndicator = await lookup('SELECT indicator_id AS id, toString(any(dept)) AS dept FROM budget_indicator WHERE indicator_id IN {ids:Array(String)} GROUP BY indicator_id', indicators.map((flag) => flag.case_key))
  const byApplication = await lookup(
    'SELECT application_id AS id, toString(any(project_code)) AS dept FROM workflow_event WHERE application_id IN {ids:Array(String)} GROUP BY application_id',
    applications.map((flag) => flag.case_key.split('|')[0]),
  )
  const projectDept = new Map(catalogue.map((project) => [project.code, project.dept]))
  for (const flag of flags) {
    const dept =
      byDetail.get(flag.first_detail) ??
      byVoucher.get(voucherOf(flag)) ??
      (flag.rule_id === 'R19' ? byIndicator.get(flag.case_key) : undefined) ??
      (flag.rule_id === 'R17' ? projectDept.get(byApplication.get(flag.case_key.split('|')[0]) ?? '') : undefined)
    if (dept) byFlag.set(flag.flag_id, dept)
  }
  return byFlag
}

function hashOf(text: string): number {
  let hash = 2166136261
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0
  return hash
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}
