/**
 * Places a list row in the GB/T 2260 tree (shared/rules/jurisdictions.ts): a county-level division
 * that can hold a cluster, found by its code column, by province + county name, or by the place
 * names the cluster's name opens with (敦化市医药产业集群 → 敦化市; 江苏省南京市江宁区智能配电设备
 * → 江宁区 of 南京市). A name that could be two counties (南京 and 徐州 each have a 鼓楼区) is
 * refused as ambiguous, never guessed.
 */
import { findJurisdiction, type Jurisdiction, childrenOf, provincialJurisdictions } from '../rules/jurisdictions.ts';
import { administrativeChain, provinceOf, shortPlaceName } from './entry.ts';
import type { Said } from './refusal.ts';

export type CountyRefusalCode =
  | 'unknown_province'
  | 'unknown_county_code'
  | 'county_outside_province'
  | 'unknown_county'
  | 'ambiguous_county'
  | 'county_not_in_name';

export type CountyMatch =
  | { ok: true; countyCode: string; provinceCode: string; by: 'code' | 'county' | 'name' }
  | {
      ok: false;
      field: 'province' | 'countyCode' | 'county' | 'clusterName';
      code: CountyRefusalCode;
      /** What is wrong and what to write, in each language. */
      said: Said;
    };

const clean = (text: string) => text.normalize('NFKC').replace(/\s+/gu, '');

interface Place {
  jurisdiction: Jurisdiction;
  /** How a text may name it: "南京市江宁区", "南京江宁区", "江宁区", "江宁" (longest first). */
  spellings: string[];
}

let index: { provinces: Map<string, string>; places: Map<string, Place[]> } | undefined;

/** Provinces by name and short name; each province's applicant divisions with their spellings. */
function placeIndex() {
  if (index) return index;
  const provinces = new Map<string, string>();
  const places = new Map<string, Place[]>();
  const roots = provincialJurisdictions().filter((j) => j.parentCode === undefined);
  for (const root of roots) {
    provinces.set(root.name, root.code);
    provinces.set(shortPlaceName(root.name), root.code);
    const found: Place[] = [];
    const stack = [...childrenOf(root.code)];
    while (stack.length > 0) {
      const next = stack.pop() as Jurisdiction;
      if (next.applicant) found.push({ jurisdiction: next, spellings: spellingsOf(next) });
      stack.push(...childrenOf(next.code));
    }
    places.set(root.code, found);
  }
  index = { provinces, places };
  return index;
}

function spellingsOf(county: Jurisdiction): string[] {
  const own = [county.name, shortPlaceName(county.name)];
  // The parents below the province (a city; a planned city), full or short, before the county.
  const parents = administrativeChain(county.code)
    .slice(1, -1)
    .flatMap((parent) => [parent.name, shortPlaceName(parent.name)]);
  const spellings = new Set([...parents.flatMap((p) => own.map((o) => p + o)), ...own]);
  return [...spellings].sort((a, b) => b.length - a.length);
}

/** The province a cell names (吉林省 or 吉林; 新疆生产建设兵团), or undefined. */
export function provinceByName(text: string): string | undefined {
  return placeIndex().provinces.get(clean(text));
}

/**
 * A division's suffix: a name that goes on with one after a place's short spelling names another
 * place ("通化市…" is the city of 通化, not 通化县 followed by "市…").
 */
const DIVISION_SUFFIX = /^[省市县区州盟旗]/u;

/** The province's divisions a text names in full (county), or at its start (a cluster's name). */
function candidates(provinceCode: string, text: string, whole: boolean): Jurisdiction[] {
  const places = placeIndex().places.get(provinceCode) ?? [];
  let best = 0;
  let found: Jurisdiction[] = [];
  const opensWith = (s: string) =>
    text.startsWith(s) && text.length > s.length && !DIVISION_SUFFIX.test(text.slice(s.length));
  for (const place of places) {
    const spelling = place.spellings.find((s) => (whole ? text === s : opensWith(s)));
    if (!spelling) continue;
    if (spelling.length > best) {
      best = spelling.length;
      found = [place.jurisdiction];
    } else if (spelling.length === best) found.push(place.jurisdiction);
  }
  return found;
}

/** The name with the province's own name (full or short) taken off its start. */
function withoutProvince(name: string, provinceCode: string): string {
  const province = findJurisdiction(provinceCode);
  if (!province) return name;
  for (const spelling of [province.name, shortPlaceName(province.name)]) {
    if (name.startsWith(spelling) && name.length > spelling.length) return name.slice(spelling.length);
  }
  return name;
}

/**
 * The places a text names, as written or after the province's name: "吉林市龙潭区" is a city of
 * 吉林省 (not 吉林 followed by "市龙潭区"), "江苏省南京市江宁区" opens with its province.
 */
function placesNamed(provinceCode: string, text: string, whole: boolean): Jurisdiction[] {
  const asWritten = candidates(provinceCode, text, whole);
  if (asWritten.length > 0) return asWritten;
  const rest = withoutProvince(text, provinceCode);
  return rest === text ? [] : candidates(provinceCode, rest, whole);
}

const listed = (found: readonly Jurisdiction[]) => found.map((j) => `${j.name} ${j.code}`).join('、');

export interface CountyCells {
  province: string;
  clusterName: string;
  county?: string;
  countyCode?: string;
}

/** Where a row's cluster is: its county's code and administrative province, or why it cannot be placed. */
export function matchCounty(cells: CountyCells): CountyMatch {
  const provinceCode = provinceByName(cells.province);
  if (!provinceCode) {
    return {
      ok: false,
      field: 'province',
      code: 'unknown_province',
      said: {
        zh: `“${cells.province}”不是省、自治区、直辖市或新疆生产建设兵团，请填写省级名称，如“吉林省”`,
        en: `“${cells.province}” is not a province, autonomous region, municipality or the XPCC: write its name, e.g. 吉林省`,
      },
    };
  }
  const provinceName = findJurisdiction(provinceCode)?.name ?? provinceCode;
  const code = cells.countyCode?.trim();
  if (code) {
    const county = findJurisdiction(code);
    if (!county?.applicant) {
      return {
        ok: false,
        field: 'countyCode',
        code: 'unknown_county_code',
        said: {
          zh: `${code}不是GB/T 2260中的县级行政区划，请填写该县（市、区）的6位代码，如222403`,
          en: `${code} is not a county-level division in GB/T 2260: write the county's six-digit code, e.g. 222403`,
        },
      };
    }
    if (provinceOf(code) !== provinceCode) {
      return {
        ok: false,
        field: 'countyCode',
        code: 'county_outside_province',
        said: {
          zh: `${county.name} ${code}不在${provinceName}，请核对省份或区县代码`,
          en: `${county.name} ${code} is not in ${provinceName}: check the province or the code`,
        },
      };
    }
    return { ok: true, countyCode: code, provinceCode, by: 'code' };
  }
  const countyText = cells.county ? clean(cells.county) : '';
  if (countyText) {
    const found = placesNamed(provinceCode, countyText, true);
    if (found.length === 1 && found[0]) return { ok: true, countyCode: found[0].code, provinceCode, by: 'county' };
    return found.length === 0
      ? {
          ok: false,
          field: 'county',
          code: 'unknown_county',
          said: {
            zh: `${provinceName}没有“${cells.county}”，请填写县（市、区）的全称或区县代码`,
            en: `${provinceName} has no county “${cells.county}”: write the county's full name or its 区县代码`,
          },
        }
      : {
          ok: false,
          field: 'county',
          code: 'ambiguous_county',
          said: {
            zh: `“${cells.county}”可能是${listed(found)}，请写明所在市或填写区县代码`,
            en: `“${cells.county}” could be ${listed(found)}: name its city or give 区县代码`,
          },
        };
  }
  const found = placesNamed(provinceCode, clean(cells.clusterName), false);
  if (found.length === 1 && found[0]) return { ok: true, countyCode: found[0].code, provinceCode, by: 'name' };
  return found.length === 0
    ? {
        ok: false,
        field: 'clusterName',
        code: 'county_not_in_name',
        said: {
          zh: `集群名称未以${provinceName}的县（市、区）开头，请增加区县或区县代码列`,
          en: `the name does not open with a county of ${provinceName}: add a 区县 or 区县代码 column`,
        },
      }
    : {
        ok: false,
        field: 'clusterName',
        code: 'ambiguous_county',
        said: {
          zh: `集群名称可能指${listed(found)}，请增加区县或区县代码列`,
          en: `the name could place it in ${listed(found)}: add a 区县 or 区县代码 column`,
        },
      };
}
