import zlib from 'node:zlib'

/**
 * The first sheet of an Excel workbook (.xlsx) as rows of text, without a package: an .xlsx is a
 * zip of XML files; this reads the zip's central directory, inflates the workbook, its relations,
 * the shared strings and the first sheet, and walks the sheet's <row>/<c> elements. Cells keep the
 * text Excel stored: shared and inline strings as written, numbers as their decimal text (dates
 * are serial day numbers there; the loader's SQL reads those for date fields of an xlsx file).
 * Not supported (refused with a message): zip64 archives (over 4 GB), encrypted workbooks.
 */

export class XlsxError extends Error {}

interface ZipEntry {
  method: number
  compressedSize: number
  localOffset: number
}

function zipEntries(zip: Buffer): Map<string, ZipEntry> {
  const minEocd = 22
  let eocd = -1
  for (let i = zip.length - minEocd; i >= Math.max(0, zip.length - minEocd - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd === -1) throw new XlsxError('not an .xlsx file (no zip directory found)')
  const count = zip.readUInt16LE(eocd + 10)
  let offset = zip.readUInt32LE(eocd + 16)
  if (offset === 0xffffffff || count === 0xffff) throw new XlsxError('zip64 workbooks (over 4 GB) are not supported: save as CSV')
  const entries = new Map<string, ZipEntry>()
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new XlsxError('damaged zip directory')
    const flags = zip.readUInt16LE(offset + 8)
    if (flags & 1) throw new XlsxError('encrypted workbooks are not supported')
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength)
    entries.set(name, {
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localOffset: zip.readUInt32LE(offset + 42),
    })
    offset += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

function readEntry(zip: Buffer, entries: Map<string, ZipEntry>, name: string): Buffer | null {
  const entry = entries.get(name)
  if (!entry) return null
  const local = entry.localOffset
  if (zip.readUInt32LE(local) !== 0x04034b50) throw new XlsxError(`damaged zip entry ${name}`)
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
  const data = zip.subarray(start, start + entry.compressedSize)
  if (entry.method === 0) return data
  if (entry.method === 8) return zlib.inflateRawSync(data)
  throw new XlsxError(`zip entry ${name} uses compression method ${entry.method}, not supported`)
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
export function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)))
    return ENTITIES[name] ?? whole
  })
}

/** Text of every <t> inside one <si> (rich text is several runs). */
function runsText(xml: string): string {
  let text = ''
  for (const match of xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)) text += match[1]
  return xmlText(text)
}

function sharedStrings(xml: string | null): string[] {
  if (!xml) return []
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((match) => (match[1] === undefined ? '' : runsText(match[1])))
}

/** Path of the workbook's first sheet, as its relations name it. */
function firstSheetPath(zip: Buffer, entries: Map<string, ZipEntry>): string {
  const workbook = readEntry(zip, entries, 'xl/workbook.xml')?.toString('utf8') ?? ''
  const rels = readEntry(zip, entries, 'xl/_rels/workbook.xml.rels')?.toString('utf8') ?? ''
  const id = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1]
  if (id) {
    for (const rel of rels.matchAll(/<Relationship\b[^>]*>/g)) {
      if (!rel[0].includes(`Id="${id}"`)) continue
      const target = /Target="([^"]+)"/.exec(rel[0])?.[1]
      if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target}`
    }
  }
  if (entries.has('xl/worksheets/sheet1.xml')) return 'xl/worksheets/sheet1.xml'
  throw new XlsxError('the workbook has no sheet')
}

/** 'B' → 1, 'AA' → 26 */
function columnIndex(letters: string): number {
  let index = 0
  for (const ch of letters) index = index * 26 + (ch.charCodeAt(0) - 64)
  return index - 1
}

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g

function rowValues(rowXml: string, strings: string[]): string[] {
  const values: string[] = []
  let next = 0
  for (const cell of rowXml.matchAll(CELL)) {
    const attributes = cell[1]
    const ref = /\br="([A-Z]+)\d+"/.exec(attributes)?.[1]
    const at = ref ? columnIndex(ref) : next
    const type = /\bt="(\w+)"/.exec(attributes)?.[1] ?? 'n'
    const body = cell[2] ?? ''
    let value = ''
    if (type === 'inlineStr') value = runsText(body)
    else {
      const raw = /<v>([^<]*)<\/v>/.exec(body)?.[1]
      if (raw !== undefined) value = type === 's' ? (strings[Number(raw)] ?? '') : xmlText(raw)
    }
    while (values.length < at) values.push('')
    values[at] = value
    next = at + 1
  }
  return values
}

/**
 * Rows of the first sheet, `batchSize` at a time. The sheet XML is cut at </row> boundaries and
 * read piece by piece, so a sheet of a million rows never becomes one string.
 */
export function* xlsxRows(file: Buffer, batchSize = 20_000): Generator<string[][]> {
  const entries = zipEntries(file)
  const strings = sharedStrings(readEntry(file, entries, 'xl/sharedStrings.xml')?.toString('utf8') ?? null)
  const sheet = readEntry(file, entries, firstSheetPath(file, entries))
  if (!sheet) throw new XlsxError('the first sheet is missing from the workbook')
  const endTag = Buffer.from('</row>')
  let batch: string[][] = []
  let rowNumber = 0
  let from = 0
  const PIECE = 4 << 20
  while (from < sheet.length) {
    const cut = sheet.indexOf(endTag, Math.min(sheet.length, from + PIECE))
    const to = cut === -1 ? sheet.length : cut + endTag.length
    const piece = sheet.toString('utf8', from, to)
    for (const row of piece.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      // Excel leaves empty rows out; blank rows keep the row numbers (lines) of the ones after.
      const number = Number(/\br="(\d+)"/.exec(row[1])?.[1] ?? rowNumber + 1)
      while (rowNumber + 1 < number) {
        batch.push([])
        rowNumber++
      }
      rowNumber = number
      batch.push(row[2] === undefined ? [] : rowValues(row[2], strings))
      if (batch.length >= batchSize) {
        yield batch
        batch = []
      }
    }
    from = to
  }
  if (batch.length > 0) yield batch
}
