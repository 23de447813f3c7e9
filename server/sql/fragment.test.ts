import { describe, expect, it } from 'vitest'
import { join, param, sql, trusted, type SqlFragment } from './fragment'

describe('sql fragments', () => {
  it('carries values only as typed parameters, merged from every slot', () => {
    const where = join([sql`status = ${param('status', 'String', '失败')}`, sql`period = ${param('period', 'UInt32', 202407)}`], ' AND ')
    const query = sql`SELECT ${trusted('detail_id')} FROM payment_detail WHERE ${where}`
    expect(query.text).toBe('SELECT detail_id FROM payment_detail WHERE status = {status:String} AND period = {period:UInt32}')
    expect(query.params).toEqual({ status: '失败', period: 202407 })
  })

  it('refuses a bare value in a slot, an unsafe name or type, and one name bound to two values', () => {
    const bare = "x' OR 1=1 --" as unknown as SqlFragment
    expect(() => sql`WHERE name = ${bare}`).toThrow(/fragments only/)
    expect(() => param('a}; DROP', 'String', 1)).toThrow(/unsafe parameter name/)
    expect(() => param('a', 'String} OR {b:String', 1)).toThrow(/unsafe parameter type/)
    expect(() => join([param('p', 'String', 'a'), param('p', 'String', 'b')], ', ')).toThrow(/bound twice/)
    expect(join([param('p', 'String', 'a'), param('p', 'String', 'a')], ', ').params).toEqual({ p: 'a' })
    expect(param('at', "DateTime64(3, 'Asia/Shanghai')", 'x').text).toBe("{at:DateTime64(3, 'Asia/Shanghai')}")
  })
})
