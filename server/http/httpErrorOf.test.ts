import { expect, it } from 'vitest'
import { DomainError } from '../domainError'
import { HttpError, httpErrorOf } from './router'

it('maps each domain error kind to its status and leaves faults to the 500 path', () => {
  const statusOf = (error: unknown) => httpErrorOf(error)?.status ?? null
  expect(statusOf(new DomainError('invalid', '期间须为 YYYYMM'))).toBe(400)
  expect(statusOf(new DomainError('forbidden', 'unknown region scope'))).toBe(403)
  expect(statusOf(new DomainError('notFound', '预警不存在'))).toBe(404)
  expect(statusOf(new DomainError('conflict', '已建立台账'))).toBe(409)
  expect(statusOf(new HttpError(413, 'too large'))).toBe(413)
  expect(statusOf(new Error('Code: 60. DB::Exception'))).toBeNull()
  expect(httpErrorOf(new DomainError('invalid', 'bad', { field: 'period' }))?.details).toEqual({ field: 'period' })
})
