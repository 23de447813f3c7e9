import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { amountOf, makeIdNumber, placeOf } from '../../ingest/test/fixtures'

/**
 * Bank files as the tests need them, written the way banks send them: the 农村商业银行 layout
 * (config/banks/nongshang.json, Chinese headers, status codes 0/1/2/9) in UTF-8 or GBK CSV, and
 * the 中国农业银行 layout (abc.json, amounts in 分) as an Excel workbook.
 */

export const NONGSHANG_HEADER = ['明细编号', '所属期', '补贴项目', '村(社区)代码', '姓名', '身份证号', '社保卡号', '联系电话', '应发金额', '实发金额', '发放日期', '发放状态', '失败原因']

/** One valid payroll row of the 农村商业银行 layout; `status` as the bank codes it. */
export function nongshangRow(n: number, overrides: Partial<Record<string, string>> = {}): string[] {
  const amount = amountOf(n)
  const row: Record<string, string> = {
    明细编号: `NS-${n}`,
    所属期: '202405',
    补贴项目: n % 2 === 0 ? 'P01' : '城市居民最低生活保障金',
    '村(社区)代码': placeOf(n).village_code,
    姓名: n % 3 === 0 ? '阿依古丽·买买提' : '张三',
    身份证号: makeIdNumber(n, '19580312', n % 2 === 0 ? '男' : '女'),
    社保卡号: `62210000${String(n).padStart(8, '0')}`,
    联系电话: '',
    应发金额: amount,
    实发金额: amount,
    发放日期: '2024-05-10 09:30:00',
    发放状态: '9',
    失败原因: '',
    ...overrides,
  }
  return NONGSHANG_HEADER.map((name) => row[name])
}

export function csvText(rows: string[][]): string {
  return rows.map((row) => row.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n') + '\r\n'
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  return file
}

let gbkTable: Map<string, number[]> | null = null
/** Text → GBK bytes (Node decodes GBK but has no encoder: the table is built by decoding every pair). */
export function toGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map()
    const decoder = new TextDecoder('gbk')
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue
        const ch = decoder.decode(Uint8Array.from([lead, trail]))
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail])
      }
    }
  }
  const bytes: number[] = []
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0))
    else {
      const pair = gbkTable.get(ch)
      if (!pair) throw new Error(`no GBK code for ${ch}`)
      bytes.push(...pair)
    }
  }
  return Buffer.from(bytes)
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const columnName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : columnName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)))

/**
 * A workbook as Excel writes one: text in the shared-string table, numbers as numbers (amounts,
 * and dates as serial day numbers when `serialDates`), rows numbered, one sheet.
 */
export function xlsxOf(rows: Array<Array<string | number>>): Buffer {
  const strings: string[] = []
  const index = new Map<string, number>()
  const sheetRows = rows.map((row, r) => {
    const cells = row.map((value, c) => {
      const ref = `${columnName(c)}${r + 1}`
      if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`
      if (value === '') return ''
      if (!index.has(value)) {
        index.set(value, strings.length)
        strings.push(value)
      }
      return `<c r="${ref}" t="s"><v>${index.get(value)}</v></c>`
    })
    return `<row r="${r + 1}">${cells.join('')}</row>`
  })
  const files: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="明细" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst count="${strings.length}">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
  }
  return zip(files)
}

function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8')
    const packed = zlib.deflateRawSync(data)
    const nameBytes = Buffer.from(name, 'utf8')
    const crc = zlib.crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(8, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(packed.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, packed)
    centrals.push(central, nameBytes)
    offset += 30 + nameBytes.length + packed.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
