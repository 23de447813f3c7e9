import type { Plan } from './params'

/** The window's first and last day as 'YYYY-MM-DD' (SQL parameters of type Date). */
export function periodDates(plan: Plan): { startDate: string; endDate: string } {
  const y0 = Math.floor(plan.firstPeriod / 100), m0 = plan.firstPeriod % 100
  const y1 = Math.floor(plan.lastPeriod / 100), m1 = plan.lastPeriod % 100
  const lastDay = new Date(Date.UTC(y1, m1, 0)).getUTCDate()
  const pad = (v: number) => String(v).padStart(2, '0')
  return { startDate: `${y0}-${pad(m0)}-01`, endDate: `${y1}-${pad(m1)}-${pad(lastDay)}` }
}
