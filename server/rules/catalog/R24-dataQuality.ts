import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, personTouched } from './sqlParts'
import { checkCharacterSql } from '../../ingest/idNumber'

/** GB 11643 check character over the first 17 digits. */
const CHECK_CHARACTER = checkCharacterSql('id_number')

/**
 * Two stages: the checks per distinct person (one row each: number, oldest birth date, genders
 * recorded), then the case columns for the persons that fail.
 */
export default defineRule({
  id: 'R24',
  name: '基础数据质量',
  severity: 'info',
  class: '手工录入失误',
  explanation: '身份证号校验位错误、年龄超过 120 岁，或身份证性别位与登记性别不一致。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${groupCaseColumns('id_number', groupPersonSubject)}
FROM payment_detail
WHERE 1 ${personTouched(mode)} AND id_number IN
(
  SELECT id_number
  FROM (SELECT id_number, min(birth_date) AS oldest_birth, groupUniqArray(gender) AS genders
        FROM payment_detail WHERE 1 ${personTouched(mode)}
        GROUP BY id_number)
  WHERE length(id_number) != 18
     OR NOT match(id_number, '^[1-9][0-9]{16}[0-9X]$')
     OR ${CHECK_CHARACTER} != substring(id_number, 18, 1)
     OR age('year', oldest_birth, {today:Date}) > {maxAge:UInt32}
     OR arrayExists(g -> toUInt8OrZero(substring(id_number, 17, 1)) % 2 != if(g = '男', 1, 0), genders)
)
GROUP BY id_number`,
})
