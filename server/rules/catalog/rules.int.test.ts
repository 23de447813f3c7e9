import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/client'
import { openTempDb } from '../../testing/tempDb'
import { findCases } from '../evaluate'
import { completeChain, insert, payment, person, PLACES, TODAY, type Payment } from '../test/fixture'
import { rules } from './index'

/**
 * Every rule on one handcrafted dataset: for each rule one case it must find (with the CASES.md
 * key) and one near miss it must not. Each rule's whole result is compared, so a rule that fires
 * on another rule's case, or on clean rows, fails too.
 */
let db: Db
const expected: Record<string, string[]> = {}
const payments: Payment[] = []
const expect_ = (rule: string, key: string) => (expected[rule] ??= []).push(key)
const pay = (...args: Parameters<typeof payment>) => {
  const row = payment(...args)
  payments.push(row)
  return row
}

beforeAll(async () => {
  db = await openTempDb()

  // R01: monthly item for the month after death; near miss: the month of death itself.
  const dead = person('1940-05-01')
  await insert(db, 'ref_death', [{ id_number: dead.id_number, death_date: '2024-06-10', source: '民政' }])
  expect_('R01', pay(dead, { period: 202407, pay_time: '2024-07-15 10:00:00' }).detail_id)
  pay(dead, { period: 202406, pay_time: '2024-06-15 10:00:00' })

  // R02: paid twice in one county; near miss: a failed payment and its re-issue.
  const twice = person()
  pay(twice)
  pay(twice, { pay_time: '2024-09-20 10:00:00' })
  expect_('R02', `${twice.id_number}|P26|202409`)
  const failed = pay(twice, { period: 202408, pay_time: '2024-08-15 10:00:00', status: '失败', failure_reason: '账户冻结' })
  pay(twice, { period: 202408, pay_time: '2024-08-18 10:00:00', reissue_of: failed.detail_id, voucher_id: failed.voucher_id, plan_id: failed.plan_id })

  // R03: paid in two counties; near miss: another period paid once.
  const twoCounties = person()
  pay(twoCounties)
  pay(twoCounties, { ...PLACES.b })
  expect_('R03', `${twoCounties.id_number}|P26|202409`)
  pay(twoCounties, { period: 202408, pay_time: '2024-08-15 10:00:00' })

  // R04: 孤儿 and 事实无人抚养 in one period; near miss: 孤儿 with an item outside the group.
  const child = person('2015-02-01')
  pay(child, { project_code: 'P06', dept: '民政', amount_paid: 1500 })
  pay(child, { project_code: 'P08', dept: '民政', amount_paid: 1300 })
  expect_('R04', `${child.id_number}|202409|儿童保障`)
  pay(child, { project_code: 'P06', dept: '民政', amount_paid: 1500, period: 202408, pay_time: '2024-08-15 10:00:00' })
  pay(child, { project_code: 'P19', dept: '民政', amount_paid: 600, period: 202408, pay_time: '2024-08-15 10:00:00' })

  // R05: 200 paid on a 150 standard; near miss: exactly the standard (every default row).
  expect_('R05', pay(person(), { standard: 150, amount_due: 200, amount_paid: 200 }).detail_id)

  // R06: 高龄津贴(80-89) at 77; near miss: turned 80 before the period began.
  expect_('R06', pay(person('1946-10-01'), { project_code: 'P11', dept: '民政', amount_paid: 50 }).detail_id)
  pay(person('1944-08-15'), { project_code: 'P11', dept: '民政', amount_paid: 50 })

  // R07 / R08: an official on 低保; a cadre on 低保 (R08 only); near misses: non-relief, non-reviewed items.
  const official = person()
  const cadre = person()
  await insert(db, 'ref_official', [
    { id_number: official.id_number, kind: '公职人员', related_cadre: '', village_code: '', since: '2010-01-01' },
    { id_number: cadre.id_number, kind: '村干部', related_cadre: '', village_code: PLACES.a.village_code, since: '2015-01-01' },
  ])
  pay(official, { project_code: 'P01', dept: '民政', amount_paid: 500 })
  pay(official)
  expect_('R07', `${official.id_number}|P01`)
  pay(cadre, { project_code: 'P01', dept: '民政', amount_paid: 500 })
  pay(cadre)
  expect_('R08', `${cadre.id_number}|P01`)

  // R09: one card, two households; near miss: one card shared inside a household.
  pay(person('1950-01-01', { card_number: '6222999900000001' }))
  pay(person('1951-01-01', { card_number: '6222999900000001' }))
  expect_('R09', '6222999900000001')
  pay(person('1950-01-01', { card_number: '6222999900000002', household_id: 'HF' }))
  pay(person('1951-01-01', { card_number: '6222999900000002', household_id: 'HF' }))

  // R10: bank returns another holder; near miss: defaults agree.
  expect_('R10', pay(person(), { account_holder: '王五' }).detail_id)

  // R11: one phone for 5 people of 5 households; near miss: 4 people.
  for (let i = 0; i < 5; i++) pay(person('1950-01-01', { phone: '13999990001' }))
  expect_('R11', '13999990001')
  for (let i = 0; i < 4; i++) pay(person('1950-01-01', { phone: '13999990002' }))

  // R12: 低保 with a car; near miss: 低保 with one home.
  const withCar = person()
  const withHome = person()
  await insert(db, 'ref_asset', [
    { id_number: withCar.id_number, kind: '私家车', count: 1 },
    { id_number: withHome.id_number, kind: '房产', count: 1 },
  ])
  pay(withCar, { project_code: 'P02', dept: '民政', amount_paid: 400 })
  pay(withHome, { project_code: 'P02', dept: '民政', amount_paid: 400 })
  expect_('R12', `${withCar.id_number}|P02`)

  // R15: failed three weeks ago, never re-issued; near misses: re-issued in 4 days, failed 2 days ago.
  expect_('R15', pay(person(), { period: 202410, pay_time: '2024-10-01 10:00:00', status: '失败', failure_reason: '卡号错误' }).detail_id)
  const fixed = pay(person(), { period: 202410, pay_time: '2024-10-01 10:00:00', status: '失败', failure_reason: '卡号错误' })
  pay(person(), { period: 202410, pay_time: '2024-10-05 10:00:00', reissue_of: fixed.detail_id, voucher_id: fixed.voucher_id, plan_id: fixed.plan_id })
  pay(person(), { period: 202410, pay_time: '2024-10-20 10:00:00', status: '失败', failure_reason: '卡号错误' })

  // R16: half of a voucher reached the cards 14 days late; a refund idle 50 days; near miss: on time.
  pay(person(), { voucher_id: 'V-IDLE', plan_id: 'PL-IDLE', pay_time: '2024-10-01 10:00:00' })
  pay(person(), { voucher_id: 'V-IDLE', plan_id: 'PL-IDLE', pay_time: '2024-10-15 10:00:00' })
  expect_('R16', 'V-IDLE')
  expect_('R16', pay(person(), { pay_time: '2024-09-01 10:00:00', status: '退回', failure_reason: '户名不符' }).voucher_id as string)
  pay(person(), { voucher_id: 'V-ONTIME', plan_id: 'PL-ONTIME', pay_time: '2024-10-01 10:00:00' })
  pay(person(), { voucher_id: 'V-ONTIME', plan_id: 'PL-ONTIME', pay_time: '2024-10-03 10:00:00' })

  // R17: waiting 19 days for 镇审 (SLA 7); near misses: 4 days for 村评, a finished application.
  const node = (application_id: string, nodeName: string, at: string) => ({ application_id, node: nodeName, at, project_code: 'P01', ...PLACES.a, id_number: official.id_number, actor: '', batch_id: 'fixture' })
  await insert(db, 'workflow_event', [
    node('APP1', '户报', '2024-10-01 09:00:00'), node('APP1', '村评', '2024-10-03 09:00:00'),
    node('APP2', '户报', '2024-10-18 09:00:00'),
    ...['户报', '村评', '镇审', '县定', '市管'].map((name, i) => node('APP3', name, `2024-09-0${i + 1} 09:00:00`)),
  ])
  expect_('R17', 'APP1|镇审')

  // R18: June paid 51 days after the month; near miss: 45 days after.
  expect_('R18', pay(person(), { period: 202406, pay_time: '2024-08-20 10:00:00' }).detail_id)
  pay(person(), { period: 202406, pay_time: '2024-08-14 10:00:00' })

  // R19: 10% paid by late October; near miss: 70%.
  for (const [indicator, paid] of [['IND-SLOW', 100_000], ['IND-OK', 700_000]] as const) {
    await insert(db, 'budget_indicator', [{ indicator_id: indicator, doc_no: indicator, fiscal_year: 2024, county_code: '511002', dept: '人社', project_code: 'P26', fund_level: '中央', amount: 1_000_000, allocated_date: '2024-01-10', issued_date: '2024-02-01', batch_id: 'fixture' }])
    await insert(db, 'spending_plan', [{ plan_id: `PL-${indicator}`, indicator_id: indicator, month: 202403, county_code: '511002', dept: '人社', project_code: 'P26', amount: paid, approved_date: '2024-03-01', batch_id: 'fixture' }])
    pay(person(), { plan_id: `PL-${indicator}`, voucher_id: `V-${indicator}`, amount_paid: paid, period: 202403, pay_time: '2024-03-20 10:00:00' })
  }
  expect_('R19', 'IND-SLOW')

  // R20: a voucher of 999 with details of 150; a detail without a voucher; near miss: all others.
  const voucherLess = pay(person(), { voucher_id: '' })
  expect_('R20', `detail:${voucherLess.detail_id}`)
  pay(person(), { voucher_id: 'V-BROKEN', plan_id: 'PL-BROKEN' })
  await insert(db, 'payment_voucher', [{ voucher_id: 'V-BROKEN', plan_id: 'PL-BROKEN', county_code: '511002', dept: '人社', project_code: 'P26', amount: 999, bank: '农业银行', transit_account: '', pay_date: '2024-09-15', clearing_status: '已清算', batch_id: 'fixture' }])
  expect_('R20', 'voucher:V-BROKEN')

  // R21: credits for 14 months, last withdrawal 2023; near miss: withdrew last month.
  for (const [card, lastWithdrawal] of [['6222888800000001', '2023-01-01'], ['6222888800000002', '2024-09-01']]) {
    const holder = person('1950-01-01', { card_number: card })
    for (let month = 0; month < 14; month++) {
      const period = 202309 + month + (month >= 4 ? 88 : 0)
      pay(holder, { period, pay_time: `${Math.floor(period / 100)}-${String(period % 100).padStart(2, '0')}-15 10:00:00` })
    }
    await insert(db, 'card_activity', [{ card_number: card, last_withdrawal: lastWithdrawal, proxy_approved: 0, reported_on: TODAY }])
  }
  expect_('R21', '6222888800000001')

  // R22: a holder without an agreement on file; near miss: an approved holder of two cards.
  const [holderA, holderB] = [person('1970-01-01'), person('1970-01-01')]
  const heldA = person()
  const heldB = [person(), person()]
  pay(heldA, { proxy_held: 1, proxy_holder_id: holderA.id_number, proxy_holder_name: holderA.person_name })
  for (const held of heldB) pay(held, { proxy_held: 1, proxy_holder_id: holderB.id_number, proxy_holder_name: holderB.person_name })
  await insert(db, 'card_activity', [heldA, ...heldB].map((held, i) => ({ card_number: held.card_number, last_withdrawal: '2024-10-01', proxy_approved: i === 0 ? 0 : 1, reported_on: TODAY })))
  expect_('R22', holderA.id_number)

  // R23: farmland subsidy doubles on the same standard; near miss: +20%.
  for (const [who, last] of [[person(), 10], [person(), 6]] as const) {
    const rows = [5, 5, 5, 5, last].map((mu, i) =>
      pay(who, { project_code: 'P41', dept: '农业农村', period: 202004 + i * 100, pay_time: `${2020 + i}-04-20 10:00:00`, base_quantity: mu, standard: 100, amount_due: mu * 100, amount_paid: mu * 100 }))
    if (last === 10) expect_('R23', rows[4].detail_id)
  }
  // R23 with a pension raised by year (143 → 183): the raise is no jump, a 40 % payment in an early
  // year is one (the median row is of another year and standard).
  const pensioner = person('1950-03-01')
  const standards = [143, 143, 148, 153, 158, 163, 183]
  const pension = standards.map((standard, i) =>
    pay(pensioner, { period: 201806 + i * 100, pay_time: `${2018 + i}-06-15 10:00:00`, standard, amount_due: standard, amount_paid: i === 1 ? 57 : standard }))
  expect_('R23', pension[1].detail_id)

  // R24: a wrong check digit; near miss: every other (valid) number.
  const good = person()
  const badId = good.id_number.slice(0, 17) + (good.id_number[17] === '1' ? '2' : '1')
  pay({ ...good, id_number: badId })
  expect_('R24', badId)

  // R25: an 84-year-old without 高龄津贴, a grade-1 disabled without care subsidy, a 低保 child
  // without education aid; near misses: receiving them, grade 3, a child outside 低保.
  const beneficiaries = [person('1940-01-01'), person('1941-01-01'), person('1980-01-01'), person('1980-01-01'), person('2012-05-01', { household_id: 'HD' }), person('2012-05-01', { household_id: 'HN' })]
  const [old, oldPaid, severe, mild, poorChild, otherChild] = beneficiaries
  await insert(db, 'beneficiary', beneficiaries.map((b) => ({ ...b, ...PLACES.a, bank: '农业银行' })))
  await insert(db, 'household', [
    { household_id: 'HD', head_id: poorChild.id_number, ...PLACES.a, members: 3, is_dibao: 1, is_tekun: 0, land_mu: 2 },
    { household_id: 'HN', head_id: otherChild.id_number, ...PLACES.a, members: 3, is_dibao: 0, is_tekun: 0, land_mu: 2 },
  ])
  await insert(db, 'ref_disability', [{ id_number: severe.id_number, grade: 1, kind: '肢体' }, { id_number: mild.id_number, grade: 3, kind: '肢体' }])
  pay(oldPaid, { project_code: 'P11', dept: '民政', amount_paid: 50 })
  expect_('R25', `${old.id_number}|高龄津贴`)
  expect_('R25', `${severe.id_number}|护理补贴`)
  expect_('R25', `${poorChild.id_number}|教育资助`)

  await insert(db, 'payment_detail', payments)
  await completeChain(db)
})

afterAll(async () => {
  await db?.close()
})

describe('rules on handcrafted data', () => {
  for (const rule of rules) {
    it(`${rule.id} ${rule.name} finds its case and not the near miss`, async () => {
      const cases = await findCases(db, rule, { today: TODAY })
      expect(cases.map((row) => row.case_key).sort(), JSON.stringify(cases.map((row) => [row.case_key, row.subject, row.amount]))).toEqual((expected[rule.id] ?? []).sort())
      for (const row of cases) {
        expect(row.county_code).toMatch(/^511\d{3}$/)
        // The subject is masked: no full 18-character 身份证号 and no full name leaves the SQL.
        expect(row.subject).not.toMatch(/\d{17}[\dX]/)
        expect(row.subject).not.toMatch(/测试\d/)
      }
    })
  }

  it('limits an incremental run to rows ingested after the watermark', async () => {
    const rule = rules.find((candidate) => candidate.id === 'R05')!
    expect(await findCases(db, rule, { today: TODAY, since: new Date(Date.now() + 60_000) })).toEqual([])
    expect((await findCases(db, rule, { today: TODAY, since: new Date(Date.now() - 3_600_000) })).length).toBe(1)
  })
})
