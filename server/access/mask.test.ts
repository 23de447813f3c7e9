import { describe, expect, it } from 'vitest'
import { findUnmaskedPersonalData, maskCard, maskIdNumber, maskName, maskPhone, maskRecord, PERSONAL_FIELDS } from './mask'
import { redactPersonalData } from './personalDataScan'
import { checkCharacterOf, hasValidChecksum } from '../ingest/idNumber'

// A checksum-valid 身份证号 built here rather than copied from anywhere real.
function validId(prefix17: string): string {
  return prefix17 + checkCharacterOf(prefix17)
}
const ID = validId('51102519800101123')

describe('maskers', () => {
  it('keeps the first character of a name', () => {
    expect(maskName('张三丰')).toBe('张**')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskName('李')).toBe('*')
    expect(maskName('')).toBe('')
  })
  it('keeps the first 6 and last 4 of an ID', () => {
    expect(maskIdNumber('51102519800101123X')).toBe('511025********123X')
    expect(maskIdNumber(ID)).toMatch(/^511025\*{8}\d{3}[\dX]$/)
    expect(maskIdNumber('12345')).toBe('*****')
  })
  it('masks the middle of a phone and a card', () => {
    expect(maskPhone('18012341999')).toBe('180****1999')
    expect(maskCard('6222021234563256')).toBe('6222 **** **** 3256')
    expect(maskCard('6222 0212 3456 7890 123')).toBe('6222 **** **** 0123')
    expect(maskCard('123')).toBe('***')
  })
  it('masks every personal field of a payment row and leaves the rest', () => {
    const row = {
      detail_id: 'D1', amount_paid: '100.00', person_name: '王小明', id_number: ID, card_number: '6222021234563256',
      phone: '13912345678', account_holder: '王大明', holder_id_number: ID, proxy_holder_id: ID, proxy_holder_name: '赵四',
    }
    const masked = maskRecord(row)
    expect(masked.detail_id).toBe('D1')
    expect(masked.amount_paid).toBe('100.00')
    for (const field of Object.keys(PERSONAL_FIELDS) as Array<keyof typeof row>) expect(masked[field]).not.toBe(row[field])
    expect(findUnmaskedPersonalData(JSON.stringify(row)).map((hit) => hit.kind).sort()).toEqual(['card', 'id_number', 'id_number', 'id_number', 'phone'])
    expect(findUnmaskedPersonalData(JSON.stringify(masked))).toEqual([])
  })
})

describe('personal data scanner', () => {
  it('finds a checksum-valid ID, a mobile and a card, and ignores an ID with a bad checksum', () => {
    expect(hasValidChecksum(ID)).toBe(true)
    const broken = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0')
    expect(hasValidChecksum(broken)).toBe(false)
    const kinds = findUnmaskedPersonalData(`id ${ID}, tel 15808321234, card 6217 0000 1111 2222 333`).map((hit) => hit.kind)
    expect(kinds).toEqual(['id_number', 'phone', 'card'])
    // An 18-digit number failing the checksum is still a 16–19-digit run: reported as a card.
    expect(findUnmaskedPersonalData(broken).map((hit) => hit.kind)).toEqual(['card'])
  })
  it('ignores amounts, periods, timestamps and region codes', () => {
    expect(findUnmaskedPersonalData('{"period":202406,"amount":"12345.67","at":1718000000000,"village":"511025100201"}')).toEqual([])
  })
  it('never reports the raw value', () => {
    const [hit] = findUnmaskedPersonalData(`x${ID}x`)
    expect(hit.sample).not.toContain(ID.slice(6, 14))
  })
  it('redacts personal data inside free text', () => {
    const text = `核对 ${ID} 的电话 13912345678`
    const redacted = redactPersonalData(text)
    expect(findUnmaskedPersonalData(redacted)).toEqual([])
    expect(redacted).toContain('核对 511025********')
  })
})
