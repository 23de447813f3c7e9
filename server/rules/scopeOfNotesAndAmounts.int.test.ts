import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/client'
import type { Principal } from '../access/principal'
import { openTempDb } from '../testing/tempDb'
import { insert, payment, person, PLACES } from './test/fixture'
import { listFlags } from './queries/listFlags'
import { getFlag } from './queries/getFlag'
import { runMetric } from '../metrics/registry'
import { recordWatch, watchTrail } from './ledger/watchMarks'
import { createLedgerItem, getLedgerItem } from './ledger/ledgerItems'

/**
 * The outside test: a flag's amount included payments outside the viewer's scope, a supervisor's
 * watch notes were readable by the staff being watched, and ledger and watch notes left unmasked.
 */
let db: Db
const twice = person()
const inCity = payment(twice, { amount_paid: 150 }) // 市中区 (PLACES.a)
const inCounty = payment(twice, { ...PLACES.b, amount_paid: 200 }) // 东兴区
const FLAG = 'R03-cross-region-test'
const PHONE = '13912345678'

const supervisor: Principal = { id: 'user:sup', name: 'sup', role: 'supervisor', scope: '511000' }
const eastStaff: Principal = { id: 'user:east', name: 'east', role: 'staff', scope: '511011' }

beforeAll(async () => {
  db = await openTempDb()
  await insert(db, 'payment_detail', [inCity, inCounty])
  // The case as R03 stores it: the region of the newest payment, the sum paid on both.
  await insert(db, 'flag', [
    {
      flag_id: FLAG, rule_id: 'R03', case_key: 'k', severity: 'critical', class: '后台数据不全',
      ...PLACES.b, amount: 350, subject: '测** 511002********0000', detail_ids: [inCity.detail_id, inCounty.detail_id],
      detected_at: '2024-10-01 10:00:00.000',
    },
  ])
})
afterAll(() => db?.close())

describe('flag amounts', () => {
  it('count only the money paid inside the viewer\'s scope', async () => {
    expect((await listFlags(db, '511000', { page: 1, pageSize: 10 })).items[0].amount).toBe(350)
    expect((await listFlags(db, '511011', { page: 1, pageSize: 10 })).items[0].amount).toBe(200)
    expect((await getFlag(db, '511011', FLAG)).amount).toBe(200)
    expect((await getFlag(db, '511000', FLAG)).amount).toBe(350)
    // The wall's ticker of a county room too.
    const ticker = await runMetric(db, 'flags.ticker', { region: '511011' })
    if (ticker.kind !== 'table') throw new Error('table expected')
    expect(ticker.rows.find((row) => row.id === FLAG)?.amount).toBe(200)
  })
})

describe('notes', () => {
  it('of a supervisor\'s watch are not shown to the staff watched, and leave masked', async () => {
    await recordWatch(db, supervisor, { kind: 'region', id: '511011001', action: 'mark', note: `东兴区核查，联系 ${PHONE}` })
    await recordWatch(db, eastStaff, { kind: 'region', id: '511011001', action: 'view' })
    const forStaff = await watchTrail(db, eastStaff, 'region', '511011001')
    expect(forStaff.map((row) => row.who)).toEqual(['user:east'])
    const forSupervisor = await watchTrail(db, supervisor, 'region', '511011001')
    expect(forSupervisor.map((row) => row.who).sort()).toEqual(['user:east', 'user:sup'])
    expect(JSON.stringify(forSupervisor)).not.toContain(PHONE)
    expect(forSupervisor.find((row) => row.who === 'user:sup')!.note).toContain('139****5678')
  })

  it('of the ledger leave masked', async () => {
    const item = await createLedgerItem(db, eastStaff, { flagId: FLAG, ownerDept: '东兴区民政局', ownerPerson: '李科长', deadline: '2024-12-31', note: `当事人电话 ${PHONE}` })
    const { history } = await getLedgerItem(db, eastStaff, item.item_id)
    expect(JSON.stringify(history)).not.toContain(PHONE)
    expect(history[0].note).toContain('139****5678')
  })
})
