import type { BenchServer } from './server'
import { signIn } from './signIn'

/**
 * What the data under test holds besides payments, read as a leader through the metrics API:
 * the demo generator's anomalies flagged by the rule engine, the demo ledger and 政策找人
 * follow-ups. A bench on payments alone would make the alerts and rectification rooms cheap.
 */
export async function describeData(server: BenchServer): Promise<string> {
  const rows = (await server.health()).rows
  const cookie = await signIn(server.url, server.leader.username, server.leader.password)
  const metric = async (name: string) => {
    const response = await fetch(`${server.url}/api/metrics/${name}?region=511000`, { headers: { cookie } })
    if (response.status !== 200) return `${name} answered ${response.status}`
    const { data } = (await response.json()) as { data: Record<string, any> }
    if (data.kind === 'value') return String(data.value)
    if (data.kind === 'funnel') return data.stages.map((stage: { name: string; value: number }) => `${stage.name} ${stage.value}`).join(', ')
    if (data.kind === 'series') return data.categories.map((category: string, i: number) => `${category} ${data.series.reduce((sum: number, s: { values: number[] }) => sum + (s.values[i] ?? 0), 0)}`).join(', ')
    if (data.kind === 'regions' || data.kind === 'table') return `${data.rows.length} rows`
    return JSON.stringify(data).slice(0, 120)
  }
  return [
    `payments ${rows.payment_detail?.toLocaleString()}, beneficiaries ${rows.beneficiary?.toLocaleString()}, indicators ${rows.budget_indicator?.toLocaleString()}`,
    `open flags ${await metric('flags.open')}; ledger by status: ${await metric('ledger.byStatus')}; follow-ups: ${await metric('outreach.funnel')}`,
  ].join('; ')
}
