import { expect, it } from 'vitest'
import { firstLine } from './errorLine'

it('keeps the first line of an error, cut to a width when asked', () => {
  const chdbError = new Error('Code: 60. DB::Exception: Unknown table expression identifier\nStack trace:\n0. DB::Exception')
  expect(firstLine(chdbError)).toBe('Code: 60. DB::Exception: Unknown table expression identifier')
  expect(firstLine(chdbError, 8)).toBe('Code: 60')
  expect(firstLine('plain\nsecond')).toBe('plain')
})
