import type { Db } from '../db/client'
import { article } from './params'
import { seededTables } from './seed'
import { scalar } from './enrollments'

/** Row counts, on-disk size and the totals next to the article's figures. */
export async function seedReport(db: Db): Promise<string[]> {
  const lines: string[] = []
  for (const table of seededTables) lines.push(`  ${table.padEnd(18)} ${(await scalar(db, `SELECT count() FROM \`${table}\``)).toLocaleString('en').padStart(12)} rows`)
  const bytes = await scalar(db, `SELECT sum(bytes_on_disk) FROM system.parts WHERE database = currentDatabase() AND active`)
  lines.push(`  on disk: ${(bytes / 2 ** 20).toFixed(1)} MiB (system.parts, active parts)`)
  const result = await db.client.query({
    query: `SELECT sum(amount_paid), count(), uniqExact(id_number), min(period), max(period) FROM payment_detail`,
    format: 'JSONCompactEachRow',
  })
  const [amount, payments, persons, first, last] = (await result.json<[string, string, string, number, number][]>())[0].map(Number)
  const vs = (value: number, target: number) => `${value >= target ? '+' : ''}${(((value - target) / target) * 100).toFixed(2)} %`
  lines.push(`  paid        ${(amount / 1e8).toFixed(2)} 亿元   (article 118.72 亿元; per scale unit ${vs(amount, article.amountYuan * (payments / article.payments))})`)
  lines.push(`  payments    ${(payments / 1e4).toFixed(2)} 万人次 (article 3985 万人次)`)
  lines.push(`  persons     ${(persons / 1e4).toFixed(2)} 万人   (article 172.51 万人)`)
  lines.push(`  periods     ${first}–${last}`)
  return lines
}
