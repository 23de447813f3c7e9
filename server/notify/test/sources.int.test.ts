import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../../testing/tempDb'
import type { Db } from '../../db/client'
import { findUnmaskedPersonalData } from '../../access/mask'
import { WEBHOOK_SECRET, startHttpReceivers, startSmtpReceiver, type HttpReceivers, type SmtpReceiver } from '../testing/receivers'
import { startNotifyUnderTest, townOf, until, type NotifyUnderTest } from '../testing/harness'
import { reportFault } from '../index'
import { startRuleEngine } from '../../rules/engine'
import { defineRule } from '../../rules/types'
import type { ChannelConfig } from '../config'

let db: Db & { dataDir: string }
let http: HttpReceivers
let smtp: SmtpReceiver
let app: NotifyUnderTest
const TODAY = '2024-10-22'

const channels = (): ChannelConfig[] => [
  { id: 'zz-mail', type: 'email', scope: '511025', smtp: smtp.url, from: 'ykt@example.gov.cn', to: ['zizhong-leader@example.gov.cn'] },
  { id: 'zz-wc', type: 'wecom', scope: '511025', url: `${http.url}/wecom/zz-wc?key=k-zz` },
  { id: 'sz-wc', type: 'wecom', scope: '511002', url: `${http.url}/wecom/sz-wc?key=k-sz` },
  { id: 'ops-hook', type: 'webhook', scope: '511000', url: `${http.url}/webhook/ops-hook`, secret: WEBHOOK_SECRET },
]

beforeAll(async () => {
  db = await openTempDb()
  http = await startHttpReceivers()
  smtp = await startSmtpReceiver()
  app = await startNotifyUnderTest(db, channels(), { NOTIFY_FEED_SILENT_MINUTES: '0.01' })
  const subscribe = async (body: Record<string, unknown>) => {
    const res = await fetch(`${app.url}/api/admin/notify/subscriptions`, { method: 'POST', headers: app.adminHeaders, body: JSON.stringify(body) })
    expect(res.status, await res.text()).toBe(201)
  }
  await subscribe({ channel: 'zz-mail', scope: '511025', kinds: ['ledger_overdue', 'r17_reminder', 'r17_escalation', 'briefing'] })
  await subscribe({ channel: 'zz-wc', scope: '511025', kinds: ['briefing'] })
  await subscribe({ channel: 'sz-wc', scope: '511002', kinds: ['ledger_overdue', 'r17_reminder', 'r17_escalation'] })
  await subscribe({ channel: 'ops-hook', scope: '511000', minSeverity: 'critical', kinds: ['failure', 'feed_silent'] })
})
afterAll(async () => {
  await app?.close()
  await http.close()
  await smtp.close()
  await db.close()
})

function ledgerItem(id: string, county: string, deadline: string, status: string, closedAt: string | null = null) {
  return {
    item_id: id, flag_id: id.replace('TZ-', ''), rule_id: 'R01', county_code: county, town_code: townOf(county), village_code: '',
    title: '死亡后仍发放：王** 511025********5678', owner_dept: '民政局', owner_person: '李建国', deadline, status,
    created_by: 'u1', created_at: '2024-09-01 09:00:00.000', updated_at: '2024-09-01 09:00:00.000', closed_at: closedAt, version: 1,
  }
}

function workflow(application: string, county: string, node: string, at: string) {
  return { application_id: application, node, at, project_code: 'P001', county_code: county, town_code: townOf(county), village_code: '', id_number: '511025195001011234', actor: 'x', batch_id: 'b1' }
}

/** The text/plain part of a raw MIME message, decoded (nodemailer picks quoted-printable or base64). */
function plainText(raw: string): string {
  const part = /Content-Type: text\/plain[^\r\n]*\r\nContent-Transfer-Encoding: (\S+)\r\n\r\n([\s\S]*?)\r\n--/i.exec(raw)
  if (!part) throw new Error('no text part')
  const [, encoding, body] = part
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8')
  const bytes: number[] = []
  const soft = body.replace(/=\r\n/g, '')
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(...Buffer.from(soft[i], 'utf8'))
  }
  return Buffer.from(bytes).toString('utf8')
}

const mailsWith = (key: string) => smtp.mails.filter((m) => m.raw.includes(`X-Ykt-Idempotency-Key: ${key}`))

describe('time-driven sources, faults and the daily briefing', () => {
  it('overdue ledger items and R17 reminders/escalations reach their county only, without the owner name', async () => {
    await db.client.insert({ table: 'ledger_item', format: 'JSONEachRow', values: [
      ledgerItem('TZ-ZZ1', '511025', '2024-10-01', '整改中'),
      ledgerItem('TZ-ZZ2', '511025', '2024-11-30', '待核实'),
      ledgerItem('TZ-ZZ3', '511025', '2024-10-01', '已销号', '2024-10-22 10:00:00.000'),
      ledgerItem('TZ-SZ1', '511002', '2024-10-10', '待核实'),
    ] })
    await db.client.insert({ table: 'workflow_event', format: 'JSONEachRow', values: [
      workflow('A-REMIND', '511025', '村评', '2024-10-10 09:00:00'), // waits for 镇审 (7 days): 12 days → reminder
      workflow('B-ESCALATE', '511025', '镇审', '2024-09-01 09:00:00'), // waits for 县定 (10 days): 51 days → 督办
      workflow('C-REMIND', '511002', '村评', '2024-10-12 09:00:00'),
    ] })
    await app.notify.scan({ watch: true })
    await until(() => mailsWith('').length >= 3 && http.receipts.filter((r) => r.channel === 'sz-wc').length >= 2, 'ledger and R17 messages')
    await app.notify.worker.runOnce()
    const mailKeys = smtp.mails.map((m) => /X-Ykt-Idempotency-Key: (\S+)/.exec(m.raw)![1]).sort()
    expect(mailKeys).toEqual([
      'ledger:TZ-ZZ1:2024-10-01|zz-mail',
      'r17:escalate:B-ESCALATE:node4|zz-mail',
      'r17:remind:A-REMIND:node3|zz-mail',
    ])
    expect(http.receipts.filter((r) => r.channel === 'sz-wc').map((r) => r.key).sort()).toEqual(['ledger:TZ-SZ1:2024-10-10|sz-wc', 'r17:remind:C-REMIND:node3|sz-wc'])
    const ledgerMail = plainText(mailsWith('ledger:TZ-ZZ1:2024-10-01|zz-mail')[0].raw)
    expect(ledgerMail).toContain('已逾期 21 天')
    expect(ledgerMail).not.toContain('李建国')
    const escalation = plainText(mailsWith('r17:escalate:B-ESCALATE:node4|zz-mail')[0].raw)
    expect(escalation).toContain('督办')
    expect(escalation).toContain('511025********1234')
    for (const mail of smtp.mails) expect(findUnmaskedPersonalData(plainText(mail.raw))).toEqual([])
    // Watching again finds the same cases and sends nothing new.
    await app.notify.scan({ watch: true })
    await app.notify.worker.runOnce()
    expect(smtp.mails).toHaveLength(3)
  })

  it('a rule failure and a silent payment feed reach the city operations channel, personal data masked', async () => {
    reportFault(app.ctx, { source: 'rules', key: 'R05', message: 'R05: cannot parse 13812345678 in row' })
    for (const listener of app.ctx.onIngest) listener({ feed: 'payments', batchId: 'b-1', rows: 10, acknowledgedAt: Date.now() })
    await new Promise((resolve) => setTimeout(resolve, 800)) // NOTIFY_FEED_SILENT_MINUTES=0.01: 0.6 s
    await app.notify.scan({ watch: true })
    await until(() => http.receipts.filter((r) => r.channel === 'ops-hook').length >= 2, 'fault and silence messages')
    const ops = http.receipts.filter((r) => r.channel === 'ops-hook').map((r) => JSON.parse(r.text) as { events: Array<{ kind: string; text: string; title: string }> })
    const kinds = ops.map((body) => body.events[0].kind).sort()
    expect(kinds).toEqual(['failure', 'feed_silent'])
    const failure = ops.find((body) => body.events[0].kind === 'failure')!.events[0]
    expect(failure.title).toBe('规则 R05 运行失败')
    expect(failure.text).toContain('138****5678')
    expect(failure.text).not.toContain('13812345678')
    // Another report of the same fault within ten minutes is the same event: not sent twice.
    reportFault(app.ctx, { source: 'rules', key: 'R05', message: 'R05: again' })
    await app.notify.scan()
    await app.notify.worker.runOnce()
    expect(http.receipts.filter((r) => r.channel === 'ops-hook')).toHaveLength(2)
  })

  it('a rule that fails inside the real rule engine becomes one failure message', async () => {
    const before = http.receipts.filter((r) => r.channel === 'ops-hook').length
    const broken = defineRule({
      id: 'R99', name: '测试规则', severity: 'warn', class: '政策风险', explanation: 'reads a table that does not exist',
      incremental: false, reads: ['payment_detail'], sql: () => 'SELECT * FROM no_such_table_for_r99',
    })
    const engine = startRuleEngine(app.ctx, { rules: [broken], initialPass: false, today: () => TODAY })
    try {
      const summary = await engine.runNow('full')
      expect(summary.failed).toEqual(['R99'])
    } finally {
      await engine.stop()
    }
    await until(() => http.receipts.filter((r) => r.channel === 'ops-hook').length === before + 1, 'the rule failure message')
    const body = JSON.parse(http.receipts.filter((r) => r.channel === 'ops-hook').at(-1)!.text) as { events: Array<{ kind: string; title: string }> }
    expect(body.events[0]).toMatchObject({ kind: 'failure', title: '规则 R99 运行失败' })
  })

  it("the daily briefing: the leader's own county figures by email, a short text to the robot", async () => {
    const queued = await (await fetch(`${app.url}/api/admin/notify/briefing`, { method: 'POST', headers: app.adminHeaders, body: JSON.stringify({ day: TODAY }) })).json()
    expect(queued).toEqual({ queued: 2 })
    await until(() => mailsWith(`briefing:${TODAY}:511025|zz-mail`).length === 1 && http.receipts.some((r) => r.channel === 'zz-wc'), 'the briefing by mail and robot')
    const mail = mailsWith(`briefing:${TODAY}:511025|zz-mail`)[0]
    expect(mail.to).toEqual(['zizhong-leader@example.gov.cn'])
    const text = plainText(mail.raw)
    expect(text).toContain(`每日简报 ${TODAY} 资中县`)
    expect(text).toContain('逾期未整改：1')
    expect(text).toContain('今日销号：1')
    expect(text).toContain('序时进度')
    const robot = http.receipts.find((r) => r.channel === 'zz-wc')!
    expect(robot.text).toContain('每日简报')
    expect(robot.text).toContain('逾期未整改 1 件')
    // 市中区's robot has no briefing subscription, and a second run the same day sends nothing.
    expect(http.receipts.filter((r) => r.channel === 'sz-wc' && r.text.includes('每日简报'))).toEqual([])
    const again = await (await fetch(`${app.url}/api/admin/notify/briefing`, { method: 'POST', headers: app.adminHeaders, body: JSON.stringify({ day: TODAY }) })).json()
    expect(again).toEqual({ queued: 0 })
  })

  it('the schedule: nothing before NOTIFY_BRIEFING_AT, then once a day, also across a restart', async () => {
    const scheduled = (day: string, channel: string) => `briefing:${day}:511025|${channel}`
    const arrived = (day: string) => mailsWith(scheduled(day, 'zz-mail')).length + http.receipts.filter((r) => r.key === scheduled(day, 'zz-wc')).length
    let now = { day: '2024-10-23', time: '08:29' }
    await app.close()
    app = await startNotifyUnderTest(db, channels(), { NOTIFY_BRIEFING_AT: '08:30' }, () => now)
    expect(await app.notify.checkBriefing()).toBe(0)
    now = { day: '2024-10-23', time: '08:30' }
    expect(await app.notify.checkBriefing()).toBe(2) // 资中县's mail and robot; 市中区's robot has no briefing subscription
    now = { day: '2024-10-23', time: '17:00' }
    expect(await app.notify.checkBriefing()).toBe(0)
    await until(() => arrived('2024-10-23') === 2, 'the scheduled briefing by mail and robot')
    // Restarted after the hour: the check at start finds the day's briefing in the outbox already.
    await app.close()
    app = await startNotifyUnderTest(db, channels(), { NOTIFY_BRIEFING_AT: '08:30' }, () => now)
    await app.notify.scan()
    await app.notify.worker.runOnce()
    expect(arrived('2024-10-23')).toBe(2)
    // The next day after the hour: the start-up check already queued it.
    now = { day: '2024-10-24', time: '09:15' }
    await app.close()
    app = await startNotifyUnderTest(db, channels(), { NOTIFY_BRIEFING_AT: '08:30' }, () => now)
    expect(await app.notify.checkBriefing()).toBe(0)
    await until(() => arrived('2024-10-24') === 2, 'the next day\'s briefing, queued at start')
  })

  it('a restart during a silent payment feed still reports it, after a full silence window', async () => {
    const ops = () => http.receipts.filter((r) => r.channel === 'ops-hook')
    // The HTTP feed has stored batches before; after the restart none comes.
    await db.client.insert({ table: 'ingest_batch', format: 'JSONEachRow', values: [
      { feed: 'payments', batch_id: 'before-restart', content_hash: '0'.repeat(64), row_count: 1, amount: '300.00', newest_time: '2024-10-21 09:00:00' },
    ] })
    await app.close()
    const before = ops().length
    app = await startNotifyUnderTest(db, channels(), { NOTIFY_FEED_SILENT_MINUTES: '0.1' })
    // The server's own downtime is not the feed's silence: nothing at once...
    await app.notify.scan({ watch: true })
    await app.notify.worker.runOnce()
    expect(ops()).toHaveLength(before)
    // ...but six seconds of silence after the start are.
    await new Promise((resolve) => setTimeout(resolve, 6500))
    await app.notify.scan({ watch: true })
    await until(() => ops().length === before + 1, 'the silence message after the restart')
    const body = JSON.parse(ops().at(-1)!.text) as { events: Array<{ kind: string; title: string }> }
    expect(body.events[0]).toMatchObject({ kind: 'feed_silent', title: '数据接入 payments 中断' })
  })
})
