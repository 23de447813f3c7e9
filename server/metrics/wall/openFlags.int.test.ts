import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/client'
import { runMetric } from '../registry'
import { openTempDb } from '../../testing/tempDb'
import { listFlags } from '../../rules/queries/listFlags'
import { insert } from '../../rules/test/fixture'

// 未处置 is one definition on every panel and list, and every open flag is somewhere on the map of
// its county: a flag with no town (R19 per county, R20 per voucher) is listed as 区县本级.
const COUNTY = '511011'
const TOWN = '511011001'
const VILLAGE = '511011001001'
let db: Db

function flag(id: string, rule: string, town: string, village = '') {
  return {
    flag_id: id, rule_id: rule, case_key: id, severity: 'warn', class: '后台数据不全', county_code: COUNTY, town_code: town,
    village_code: village, amount: null, subject: id, detail_ids: [], detected_at: '2024-10-01 10:00:00.000',
  }
}

function followup(id: string, status: string) {
  const at = '2024-10-02 10:00:00.000'
  return { followup_id: id, kind: '高龄津贴', county_code: COUNTY, town_code: TOWN, village_code: VILLAGE, subject: id, status, created_at: at, updated_at: at, version: 1 }
}

beforeAll(async () => {
  db = await openTempDb()
  await insert(db, 'flag', [
    flag('F-R19', 'R19', ''), // county level: no town
    flag('F-R20', 'R20', ''),
    flag('F-R05', 'R05', TOWN, VILLAGE),
    flag('F-R25-open', 'R25', TOWN, VILLAGE),
    flag('F-R25-enrolled', 'R25', TOWN, VILLAGE),
    flag('F-R25-rejected', 'R25', TOWN, VILLAGE),
  ])
  await insert(db, 'followup', [followup('F-R25-open', '已核实'), followup('F-R25-enrolled', '已纳入'), followup('F-R25-rejected', '不符合')])
})

afterAll(async () => {
  await db?.close()
})

const value = async (name: string, region: string) => {
  const data = await runMetric(db, name, { region })
  if (data.kind !== 'value') throw new Error('value expected')
  return data.value
}

describe('未处置 flags', () => {
  it('leaves out 政策找人 leads that were enrolled or rejected, on the wall and in the list alike', async () => {
    expect(await value('flags.open', COUNTY)).toBe(4)
    expect(await value('flags.open', '511000')).toBe(4)
    const listed = await listFlags(db, '511000', { status: 'open', page: 1, pageSize: 50 })
    expect(listed.items.map((item) => item.flagId).sort()).toEqual(['F-R05', 'F-R19', 'F-R20', 'F-R25-open'])
    expect(listed.total).toBe(4)
    const enrolled = await listFlags(db, '511000', { status: '已纳入', page: 1, pageSize: 50 })
    expect(enrolled.items.map((item) => item.flagId)).toEqual(['F-R25-enrolled'])
  })

  it('shows county-level flags on the county map as 区县本级, so the map adds up to 未处置', async () => {
    const map = await runMetric(db, 'flags.byRegion', { region: COUNTY })
    if (map.kind !== 'regions') throw new Error('regions expected')
    expect(map.rows.find((row) => row.code === COUNTY)).toEqual({ code: COUNTY, name: '区县本级', value: 2 })
    expect(map.rows.find((row) => row.code === TOWN)?.value).toBe(2)
    expect(map.rows.reduce((sum, row) => sum + row.value, 0)).toBe(await value('flags.open', COUNTY))
    const city = await runMetric(db, 'flags.byRegion', { region: '511000' })
    if (city.kind !== 'regions') throw new Error('regions expected')
    expect(city.rows.every((row) => row.code.length === 6 && row.code !== '511000')).toBe(true)
    expect(city.rows.find((row) => row.code === COUNTY)?.value).toBe(4)
  })
})
