import type { Db } from '../../db/client'
import { getRegion, regionsAtLevel } from '../../../geo/regions'
import { beijingDay } from '../../beijingTime'

/**
 * Random rows spread over the whole region tree (every town can get some), for tests that compare
 * two ways of computing the same figures: a seeded generator, so a failure can be replayed.
 */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    // xorshift32
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
}

const villages = regionsAtLevel('village')
const STATUSES = ['成功', '成功', '成功', '成功', '失败', '退回', '在途'] as const
const PROJECTS = [
  ['P01', '民政'],
  ['P20', '残联'],
  ['P07', '人社'],
] as const
const BANKS = ['农业银行', '邮储银行', '农商银行'] as const

let nextId = 0

/** A village's county, town and village codes, from the region tree. */
function placeOf(village: { code: string; parent?: string | null }): { county_code: string; town_code: string; village_code: string } {
  const town = village.parent!
  return { county_code: getRegion(town)!.parent!, town_code: town, village_code: village.code }
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]
}

/** `count` payment_detail rows in random villages, half of them today (Shanghai), some re-issues. */
export function randomPayments(random: () => number, count: number, batchId: string): Array<Record<string, unknown>> {
  const today = beijingDay()
  return Array.from({ length: count }, () => {
    const village = pick(random, villages)
    const [project, dept] = pick(random, PROJECTS)
    const person = Math.floor(random() * 400)
    const amount = Math.round(random() * 200_000) / 100
    const day = random() < 0.5 ? today : `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`
    const time = `${day} ${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00`
    const id = `rnd-${batchId}-${nextId++}`
    return {
      detail_id: id,
      batch_id: batchId,
      period: Number(day.slice(0, 4) + day.slice(5, 7)),
      project_code: project,
      dept,
      ...placeOf(village),
      household_id: `h-${person}`,
      id_number: `rnd-person-${person}`,
      gender: person % 2 ? '男' : '女',
      birth_date: `19${40 + (person % 60)}-0${1 + (person % 9)}-15`,
      bank: pick(random, BANKS),
      standard: amount,
      amount_due: amount,
      amount_paid: amount,
      pay_time: time,
      status: pick(random, STATUSES),
      reissue_of: random() < 0.1 ? `rnd-earlier-${person}` : '',
      voucher_id: `V${1 + Math.floor(random() * 3)}`,
      fund_level: '中央',
    }
  })
}

export async function insertRandomPayments(db: Db, random: () => number, count: number, batchId: string): Promise<Array<Record<string, unknown>>> {
  const rows = randomPayments(random, count, batchId)
  await db.client.insert({ table: 'payment_detail', values: rows, format: 'JSONEachRow' })
  return rows
}

/** Flags, ledger items and 政策找人 follow-ups in random villages. */
export async function insertRandomCases(db: Db, random: () => number, count: number): Promise<void> {
  const flags: object[] = []
  const items: object[] = []
  const followups: object[] = []
  for (let i = 0; i < count; i++) {
    const village = pick(random, villages)
    const where = placeOf(village)
    const flagId = `rf-${nextId++}`
    flags.push({
      flag_id: flagId,
      rule_id: pick(random, ['R01', 'R02', 'R15', 'R24']),
      case_key: flagId,
      severity: pick(random, ['info', 'warn', 'critical']),
      class: pick(random, ['手工录入失误', '基础数据不准', '后台数据不全']),
      ...where,
      amount: Math.round(random() * 100_000) / 100,
      subject: '张** 5110**********1234',
      detected_at: `2024-10-${10 + Math.floor(random() * 9)} 0${Math.floor(random() * 9)}:00:00.000`,
    })
    if (random() < 0.5)
      items.push({
        item_id: `ri-${flagId}`,
        flag_id: flagId,
        rule_id: 'R01',
        ...where,
        title: '问题',
        owner_dept: '民政',
        owner_person: '王**',
        deadline: `2024-${pick(random, ['09', '11'])}-15`,
        status: pick(random, ['待核实', '整改中', '已销号', '核实无问题']),
        created_at: '2024-10-01 00:00:00.000',
        updated_at: '2024-10-01 00:00:00.000',
        version: 1,
      })
    if (random() < 0.3)
      followups.push({
        followup_id: flagId,
        kind: pick(random, ['教育资助', '高龄津贴', '护理补贴']),
        ...where,
        subject: '李**',
        status: pick(random, ['疑似', '已核实', '已纳入', '不符合']),
        created_at: '2024-10-01 00:00:00.000',
        updated_at: '2024-10-01 00:00:00.000',
        version: 1,
      })
  }
  const steps: object[] = []
  for (let i = 0; i < count; i++) {
    const where = placeOf(pick(random, villages))
    const nodes = ['户报', '村评', '镇审', '县定', '市管'].slice(0, 1 + Math.floor(random() * 4))
    const day = 1 + Math.floor(random() * 200)
    nodes.forEach((node, n) =>
      steps.push({
        application_id: `ra-${i}`,
        node,
        at: new Date(Date.UTC(2024, 0, day + n * 3)).toISOString().slice(0, 10) + ' 09:00:00',
        project_code: 'P01',
        ...where,
        id_number: `rnd-person-${i}`,
        actor: '审核员',
        batch_id: 'rnd',
      }),
    )
  }
  for (const [table, rows] of [['flag', flags], ['ledger_item', items], ['followup', followups], ['workflow_event', steps]] as const)
    if (rows.length) await db.client.insert({ table, values: rows as object[], format: 'JSONEachRow' })
}
