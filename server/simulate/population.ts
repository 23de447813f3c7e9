import type { Db } from '../db/client'
import { regionsAtLevel, countyOf } from '../../geo/regions'
import { banks } from '../catalogue'
import { familyNames, givenFemale, givenMale } from './names'
import { atLeast, WINDOW_MONTHS, type Plan } from './params'
import { periodDates } from './sqlDates'
import { idCheck } from './sqlCommon'
import { checkCharacterAtSql, checkIndexSql } from '../ingest/idNumber'
import { ruleThresholds } from '../catalogue/thresholds'

/**
 * Builds `sim_person`: the synthetic population, one row per beneficiary, all inside ClickHouse.
 * People live in households (a head, a spouse, children or parents) spread over the real villages
 * of the five counties; ages are elderly-heavy. Everything derives from cityHash64(seed, tag, key),
 * so the same seed gives the same people.
 */
export const countyShares: Record<string, number> = {
  '511002': 0.13, // 市中区
  '511011': 0.21, // 东兴区
  '511024': 0.18, // 威远县
  '511025': 0.29, // 资中县: the largest (≈ 1.2 M residents)
  '511083': 0.19, // 隆昌市
}

/**
 * Deaths: 内江's crude death rate is 11.38 ‰ a year (the issue's figure for the city). Beneficiaries
 * are older than the city, so the level is set for the generated people to die at that rate: the
 * seed report prints deaths per person-year beside 11.38 ‰.
 */
export const MORTALITY = { crudePerMille: 11.38, level: -9.75, slope: 0.085 }

/** Card BINs per paying bank, in the order of `banks`. */
const bankBins = ['623190', '622848', '621799', '621700', '621226']
const bankCumulative = [0.45, 0.65, 0.85, 0.93, 1.0]
/** Mobile prefixes of clean phones; 170 is left to the injected shared phones (R11). */
const phonePrefixes = ['138', '139', '135', '136', '137', '150', '151', '152', '157', '158', '159', '182', '183', '187', '188', '180', '181', '189', '177', '133']

/**
 * Anomaly rates applied while building people (share of persons). sharedPhone is the share of
 * 64-person blocks that plant one phone group; sharedCardInHousehold the share of children under 16
 * paid onto their household head's card (R09's near miss: one household).
 */
export const personAnomalyRates = { badChecksum: 0.0002, genderMismatch: 0.0002, sharedPhone: 0.0028, sharedCard: 0.0002, sharedCardInHousehold: 0.002 }

/**
 * R11 plants: in a chosen block of 64 consecutive people, the ones at pid % 8 = 0 (different
 * households: a household is at most 7 consecutive people) share one 170… phone. Two in three
 * blocks are cases (threshold + 2 people); one in three a near miss (threshold − 1 people).
 */
export const phoneGroupSizes = { case: ruleThresholds.sharedPhoneMinPeople + 2, nearMiss: ruleThresholds.sharedPhoneMinPeople - 1 }

export function villageParams() {
  const counties = Object.keys(countyShares)
  const byCounty = counties.map((c) => regionsAtLevel('village').filter((v) => countyOf(v.code) === c).map((v) => v.code))
  const offsets: number[] = []
  let at = 0
  for (const list of byCounty) { offsets.push(at); at += list.length }
  let sum = 0
  return {
    villages: byCounty.flat(),
    vOff: offsets,
    vCnt: byCounty.map((l) => l.length),
    countyCum: counties.map((c) => (sum += countyShares[c])),
  }
}

/** 17 digits of a shared multi-card holder's ID (R22): one per group of ~35 proxied cards. */
const multiHolderGroup = `cityHash64({seed:UInt64}, 'r22g', pid) % greatest(1, intDiv({n:UInt64} * 0.015 * {multiCard:Float64}, 35))`
const multiHolder17 = `concat({counties:Array(String)}[${multiHolderGroup} % 5 + 1], '19700101', leftPad(toString(${multiHolderGroup}), 3, '0'))`

export async function buildPopulation(db: Db, plan: Plan): Promise<void> {
  const { startDate, endDate } = periodDates(plan)
  const params = {
    seed: plan.seed, n: plan.persons, startDate, endDate, ...villageParams(),
    fam: familyNames, gm: givenMale, gf: givenFemale, banks: [...banks], bins: bankBins, bankCum: bankCumulative,
    counties: Object.keys(countyShares), prefixes: phonePrefixes, mortalityLevel: MORTALITY.level, mortalitySlope: MORTALITY.slope, years: WINDOW_MONTHS / 12, cadreRate: atLeast(0.0066, 5, plan.persons / 3), officialRate: atLeast(0.012, 15, plan.persons / 3),
    badChecksum: atLeast(personAnomalyRates.badChecksum, 2, plan.persons),
    genderMismatch: atLeast(personAnomalyRates.genderMismatch, 2, plan.persons),
    sharedPhone: atLeast(personAnomalyRates.sharedPhone, 9, plan.persons / 64), phoneCase: phoneGroupSizes.case, phoneNear: phoneGroupSizes.nearMiss,
    sharedCard: atLeast(personAnomalyRates.sharedCard, 3, plan.persons),
    sharedCardHh: atLeast(personAnomalyRates.sharedCardInHousehold, 4, plan.persons * 0.1),
    // Proxied cards are ~1.5 % of people; 3 % of them go to a few multi-card holders (R22).
    multiCard: atLeast(0.03, 12, plan.persons * 0.015),
  }
  const run = (query: string) => db.client.command({ query, query_params: params })
  await run('DROP TABLE IF EXISTS sim_p1')
  await run(`CREATE TABLE sim_p1 ENGINE = Memory AS
    SELECT number AS pid, toUInt64(sum(is_head) OVER (ORDER BY number ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - 1) AS hh
    -- every 7th person heads a new household: households of at most 7 (the real maximum is a handful)
    FROM (SELECT number, toUInt8(number % 7 = 0 OR cityHash64({seed:UInt64}, 'head', number) % 100 < 45) AS is_head
          FROM numbers({n:UInt64}))`)
  await run('DROP TABLE IF EXISTS sim_p2')
  await run(`CREATE TABLE sim_p2 ENGINE = Memory AS
    WITH cityHash64({seed:UInt64}, 'hh', hh) AS hh1,
         arrayFirstIndex(c -> (hh1 % 1000000) / 1e6 < c, {countyCum:Array(Float64)}) AS ci,
         {villages:Array(String)}[{vOff:Array(UInt32)}[ci] + intDiv(hh1, 1000000) % {vCnt:Array(UInt32)}[ci] + 1] AS vil,
         toUInt16(substring(vil, 7, 3)) < 100 AS isUrban,
         cityHash64({seed:UInt64}, 'flags', hh) AS hh2,
         hh2 % 1000 < if(isUrban, 30, 55) AS isDibao,
         NOT isDibao AND NOT isUrban AND hh2 % 1000 >= 55 AND hh2 % 1000 < 67 AS isTekun,
         NOT isDibao AND NOT isTekun AND NOT isUrban AND intDiv(hh2, 1000) % 10000 < {cadreRate:Float64} * 10000 AS isCadreHh,
         NOT isDibao AND NOT isTekun AND NOT isCadreHh AND intDiv(hh2, 10000000) % 1000 < {officialRate:Float64} * 1000 AS isOfficialHh,
         cityHash64({seed:UInt64}, 'ha', hh) % 1000 AS ra,
         multiIf(ra < 170, 28 + ra % 22, ra < 480, 50 + ra % 15, ra < 915, 65 + ra % 15, ra < 995, 80 + ra % 12, 92 + ra % 9) AS headAge,
         -- Men head most households, less so with age: widows head most of the oldest ones.
         cityHash64({seed:UInt64}, 'hg', hh) % 100 < multiIf(headAge >= 90, 30, headAge >= 80, 42, headAge >= 70, 52, 56) AS headMale,
         row_number() OVER (PARTITION BY hh ORDER BY pid) - 1 AS posInHh,
         cityHash64({seed:UInt64}, 'p', pid) AS p1,
         -- a spouse is rarer past 80 (widowhood)
         multiIf(posInHh = 0, 0, posInHh = 1 AND p1 % 100 < if(headAge >= 80, 35, 60), 1, p1 % 100 < 85 OR headAge > 62, 2, 3) AS relCode,
         toUInt8(multiIf(relCode = 0, headAge, relCode = 1, greatest(20, headAge + p1 % 11 - 6),
                 relCode = 2, 1 + intDiv(p1, 100) % least(23, greatest(headAge - 19, 1)), headAge + 22 + intDiv(p1, 100) % 12)) AS ageEnd,
         multiIf(relCode = 0, headMale, relCode = 1, NOT headMale, relCode = 3, intDiv(p1, 10000) % 100 < 38, intDiv(p1, 10000) % 2 = 0) AS isMale,
         subtractDays(subtractYears(toDate32({endDate:Date}), ageEnd), intDiv(p1, 100000) % 365) AS birthDay,
         cityHash64({seed:UInt64}, 'd', pid) AS p2,
         addDays({startDate:Date}, intDiv(p2, 1000) % dateDiff('day', {startDate:Date}, {endDate:Date})) AS deathDay,
         -- Mortality by age (Gompertz: the yearly rate ×2.3 per decade), over the window's years at the
         -- person's mid-window age; the level gives 内江's crude death rate (MORTALITY.crudePerMille).
         p2 % 1000000 < 1e6 * (1 - exp(-{years:Float64} * least(0.45, exp({mortalityLevel:Float64} + {mortalitySlope:Float64} * greatest(0, toFloat64(ageEnd) - {years:Float64} / 2)))))
           AND deathDay > birthDay + 60 AS isDead,
         cityHash64({seed:UInt64}, 'dis', pid) AS p3,
         p3 % 1000 < 60 AND ageEnd >= 2 AS isDisabled
    SELECT pid, hh, toUInt32(posInHh) AS pos, toUInt8(relCode) AS rel, substring(vil, 1, 6) AS county, substring(vil, 1, 9) AS town, vil AS village,
           toUInt8(isUrban) AS urban, toUInt8(isDibao) AS dibao, toUInt8(isTekun) AS tekun,
           toDecimal64(if(isUrban, 0, 0.8 + (intDiv(hh2, 10000000000) % 600) / 100), 2) AS land,
           toUInt8(isCadreHh) AS cadre_hh, toUInt8(isCadreHh AND relCode = 0 AND ageEnd < 66) AS cadre,
           toUInt8(isOfficialHh AND relCode <= 1 AND ageEnd BETWEEN 25 AND 59) AS official,
           toUInt8(NOT isDibao AND NOT isTekun AND NOT isOfficialHh AND ageEnd >= 25 AND cityHash64({seed:UInt64}, 'asset', pid) % 1000 < 90) AS assets,
           ageEnd AS age_end, birthDay AS birth, toUInt8(isMale) AS male,
           toUInt8(isDead) AS dead, if(isDead, deathDay, toDate('2299-12-31')) AS death,
           toUInt8(if(isDisabled, 1 + multiIf(intDiv(p3, 1000) % 100 < 12, 0, intDiv(p3, 1000) % 100 < 32, 1, intDiv(p3, 1000) % 100 < 65, 2, 3), 0)) AS grade,
           toUInt8(relCode = 2 AND ageEnd <= 20 AND cityHash64({seed:UInt64}, 'orph', pid) % 1000 < 8) AS orphan,
           toUInt8(isMale AND ageEnd >= 45 AND cityHash64({seed:UInt64}, 'vet', pid) % 1000 < 25) AS veteran,
           toUInt16(if(relCode = 1, cityHash64({seed:UInt64}, 'fs', pid), cityHash64({seed:UInt64}, 'fn', hh)) % length({fam:Array(String)}) + 1) AS fam_i
    FROM sim_p1`)
  await run('DROP TABLE IF EXISTS sim_person')
  await run(`CREATE TABLE sim_person ENGINE = MergeTree ORDER BY pid AS
    WITH row_number() OVER (PARTITION BY county, birth, male ORDER BY pid) - 1 AS rnk,
         max(grade > 0) OVER (PARTITION BY hh) AS hhDisabled,
         min(pid) OVER (PARTITION BY hh) AS headPid,
         concat(county, toString(toYYYYMMDD(birth)),
                leftPad(toString(((cityHash64({seed:UInt64}, 'seq', county, birth) % 300) + rnk) * 2 + male), 3, '0')) AS id17,
         ${checkIndexSql('id17')} AS ckIndex,
         cityHash64({seed:UInt64}, 'r24', pid) % 1000000 AS r24,
         toUInt8(multiIf(r24 < {badChecksum:Float64} * 1e6, 1, r24 < ({badChecksum:Float64} + {genderMismatch:Float64}) * 1e6, 2, 0)) AS dq,
         ${checkCharacterAtSql('if(dq = 1, (ckIndex + 1 + r24 % 9) % 11, ckIndex)')} AS ck,
         cityHash64({seed:UInt64}, 'nm', pid) AS hn,
         if(male, {gm:Array(String)}, {gf:Array(String)}) AS given,
         concat({fam:Array(String)}[fam_i], given[hn % length(given) + 1], if(intDiv(hn, 1000) % 100 < 65, given[intDiv(hn, 100000) % length(given) + 1], '')) AS fullName,
         cityHash64({seed:UInt64}, 'bank', pid) % 1000 / 1000 AS ub,
         arrayFirstIndex(c -> ub < c, {bankCum:Array(Float64)}) AS bi,
         cityHash64({seed:UInt64}, 'r09', pid) % 1000000 < {sharedCard:Float64} * 1e6 AS sharesCard,
         -- near miss: a child paid onto the card of its own household's head (one household, not R09)
         NOT sharesCard AND rel = 2 AND age_end < 16 AND pid != headPid AND cityHash64({seed:UInt64}, 'r09h', pid) % 1000000 < {sharedCardHh:Float64} * 1e6
           AND NOT cityHash64({seed:UInt64}, 'r09', headPid) % 1000000 < {sharedCard:Float64} * 1e6 AS sharesHhCard,
         toUInt64(multiIf(sharesCard, if(pid >= 1000, pid - 200 - cityHash64({seed:UInt64}, 'r09o', pid) % 500, pid + 200), sharesHhCard, headPid, pid)) AS cardPid,
         arrayFirstIndex(c -> cityHash64({seed:UInt64}, 'bank', cardPid) % 1000 / 1000 < c, {bankCum:Array(Float64)}) AS cardBank,
         cityHash64({seed:UInt64}, 'r11b', intDiv(pid, 64)) AS phoneBlock,
         phoneBlock % 1000000 < {sharedPhone:Float64} * 1e6 AS phoneBlockChosen,
         if(intDiv(phoneBlock, 1000000) % 3 = 0, {phoneNear:UInt8}, {phoneCase:UInt8}) AS phoneGroupSize,
         phoneBlockChosen AND pid % 8 = 0 AND intDiv(pid % 64, 8) < phoneGroupSize AS sharesPhone,
         (age_end >= 85 OR grade IN (1, 2)) AND cadre_hh = 0 AND cityHash64({seed:UInt64}, 'proxy', pid) % 100 < 30 AS proxied,
         addDays(birth, 9000 + cityHash64({seed:UInt64}, 'pxb', pid) % 3000) AS holderBirth,
         concat(county, toString(toYYYYMMDD(holderBirth)), toString(700 + cityHash64({seed:UInt64}, 'pxs', pid) % 300)) AS h17,
         ${checkIndexSql('h17')} AS hck
    SELECT *, concat(id17, ck) AS id_number, dq, toUInt8(hhDisabled) AS hh_disabled,
           toUInt8(if(dq = 2, 1 + male, 2 - male)) AS gender_code,
           fullName AS person_name,
           toUInt8(if(sharesPhone, if(phoneGroupSize = {phoneCase:UInt8}, 1, 2), 0)) AS phone_group,
           if(sharesPhone, concat('170', leftPad(toString(intDiv(pid, 64)), 8, '0')),
              concat({prefixes:Array(String)}[cityHash64({seed:UInt64}, 'pp', pid) % length({prefixes:Array(String)}) + 1],
                     leftPad(toString((pid * 4827137 + 23456789 + {seed:UInt64} % 1000003) % 100000000), 8, '0'))) AS phone,
           {banks:Array(String)}[cardBank] AS bank,
           concat({bins:Array(String)}[cardBank], leftPad(toString((cardPid * 982451653 + 31415926535 + {seed:UInt64} % 999983) % 1000000000000), 12, '0'), toString(cardPid % 10)) AS card_number,
           toUInt8(sharesCard) AS shares_card, toUInt8(sharesHhCard) AS shares_card_hh, cardPid AS card_pid,
           toUInt8(proxied) AS proxy,
           toUInt8(proxied AND cityHash64({seed:UInt64}, 'r22m', pid) % 1000000 < {multiCard:Float64} * 1e6) AS proxy_multi,
           multiIf(NOT proxied, '',
                   -- a shared holder (group g of ~35 cards) registered in county g % 5, whatever the card holders' counties
                   proxy_multi = 1, concat(${multiHolder17}, ${idCheck(multiHolder17)}),
                   concat(h17, ${checkCharacterAtSql('hck')})) AS proxy_id,
           if(proxied, concat({fam:Array(String)}[fam_i], {gm:Array(String)}[cityHash64({seed:UInt64}, 'pxn', pid) % length({gm:Array(String)}) + 1], '华'), '') AS proxy_name
    FROM sim_p2`)
  await run('DROP TABLE sim_p1')
  await run('DROP TABLE sim_p2')
}
