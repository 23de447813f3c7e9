import { describe, expect, it } from 'vitest'
import { checkCharacterOf, idNumberProblem, parseIdNumber } from '../idNumber'
import { makeIdNumber, withWrongCheckCharacter } from './fixtures'

describe('身份证号 (GB 11643)', () => {
  it('accepts the standard example and reads birth date and gender from it', () => {
    // The worked example of GB 11643-1999: check character X.
    expect(checkCharacterOf('11010519491231002')).toBe('X')
    expect(idNumberProblem('11010519491231002X')).toBeNull()
    expect(parseIdNumber('11010519491231002X')).toEqual({ regionCode: '110105', birthDate: '1949-12-31', gender: '女' })
    expect(parseIdNumber(makeIdNumber(7, '20010704', '男'))?.gender).toBe('男')
  })

  it('names each kind of problem without repeating the number', () => {
    const valid = makeIdNumber(3)
    expect(idNumberProblem(withWrongCheckCharacter(valid))).toBe('checksum digit wrong')
    expect(idNumberProblem(valid.slice(0, 17))).toBe('must be 18 characters')
    expect(idNumberProblem(valid.slice(0, 17) + 'x')).toMatch(/upper-case X/)
    expect(idNumberProblem(makeIdNumber(3, '19990230'))).toMatch(/not a real date/)
    expect(idNumberProblem(makeIdNumber(3, '18991231'))).toMatch(/before 1900/)
    expect(idNumberProblem(makeIdNumber(3, '20240101'), new Date('2023-06-01T00:00:00Z'))).toMatch(/future/)
    for (const id of [withWrongCheckCharacter(valid), makeIdNumber(3, '19990230')]) {
      expect(idNumberProblem(id)).not.toContain(id.slice(0, 6))
    }
  })

  it('detects any single changed digit', () => {
    // Changing any one digit of a valid number changes its check character.
    const valid = makeIdNumber(11)
    for (let position = 0; position < 17; position++) {
      const digit = (Number(valid[position]) + 1) % 10
      if (position === 0 && digit === 0) continue
      const changed = valid.slice(0, position) + digit + valid.slice(position + 1)
      expect(idNumberProblem(changed)).not.toBeNull()
    }
  })
})
