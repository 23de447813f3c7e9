import fs from 'node:fs'
import { regionsAtLevel } from '../../geo/regions'
import { checkCharacterOf } from '../../server/ingest/idNumber'

/**
 * A payroll CSV of `count` valid payments in the 农村商业银行 layout (config/banks/nongshang.json),
 * all in pay month 2024-05, one in 500 failed: the file the bulk benches load.
 */
const HEADER = '明细编号,所属期,补贴项目,村(社区)代码,姓名,身份证号,社保卡号,联系电话,应发金额,实发金额,发放日期,发放状态,失败原因\n'

export function writePayroll(file: string, count: number): void {
  const villages = regionsAtLevel('village').map((v) => v.code)
  const projects = ['P01', 'P02', 'P05', 'P09', 'P26']
  const fd = fs.openSync(file, 'w')
  fs.writeSync(fd, HEADER)
  let piece = ''
  for (let n = 0; n < count; n++) {
    const first17 = `511025${1940 + (n % 60)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`
    const amount = `${100 + (n % 700)}.${String(n % 100).padStart(2, '0')}`
    const day = String(1 + (n % 28)).padStart(2, '0')
    piece += `BB-${n},202405,${projects[n % 5]},${villages[n % villages.length]},张三,${first17}${checkCharacterOf(first17)},6221${String(n).padStart(12, '0')},,${amount},${amount},2024-05-${day} 09:30:00,${n % 500 === 0 ? '1,账户冻结' : '0,'}\n`
    if (piece.length > 4 << 20) {
      fs.writeSync(fd, piece)
      piece = ''
    }
  }
  fs.writeSync(fd, piece)
  fs.closeSync(fd)
}
