import { expect, it } from 'vitest'
import { DATA_KINDS } from '../dataKinds'
import { kindsForFeed } from './changes'

it('recomputes what a feed declares it changes, and everything for a feed it does not know', () => {
  expect(kindsForFeed('payments')).toEqual(['payments'])
  expect(kindsForFeed('vouchers')).toEqual(['budget'])
  expect(kindsForFeed('workflow')).toEqual(['workflow'])
  expect(kindsForFeed('payment_detail')).toEqual([...DATA_KINDS])
})
