import * as z from 'zod';
import { DivisionCodeSchema, IsoDateTimeSchema } from '../schemas/common.ts';
import { findJurisdiction, MIIT_CODE, parentChain } from '../rules/jurisdictions.ts';
import { beijingDate } from '../platform/time.ts';

/**
 * The register of recognised clusters (认定名单): one entry per recognition, national (MIIT's
 * list) or provincial (a province's own list). The pipeline's own recognitions enter it, and so
 * do the official lists an operator imports (./import.ts).
 */

export const REGISTER_LEVELS = ['national', 'provincial'] as const;
export const RegisterLevelSchema = z.enum(REGISTER_LEVELS);
export type RegisterLevel = z.infer<typeof RegisterLevelSchema>;

/**
 * valid: recognised and within its validity. under-re-review: its cohort's re-review is running.
 * retained: the re-review kept it (validity renewed). revoked: cancelled (false information, a
 * failed re-review), with the reason. expired: its validity ended without renewal.
 */
export const REGISTER_STATES = ['valid', 'under-re-review', 'retained', 'revoked', 'expired'] as const;
export const RegisterStateSchema = z.enum(REGISTER_STATES);
export type RegisterState = z.infer<typeof RegisterStateSchema>;

/** The states in which a cluster counts as recognised (on the valid lists, owing annual reports). */
export const STANDING_STATES: ReadonlySet<RegisterState> = new Set(['valid', 'under-re-review', 'retained']);

/** A calendar date, as the lists and notices give them (Beijing dates). */
export const IsoDateSchema = z.iso.date();

/** Where an entry came from: the pipeline's recognition, an imported list row, or the seed. */
export const RegisterSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pipeline'), applicationId: z.uuid(), campaignId: z.string() }),
  z.object({
    kind: z.literal('import'),
    importId: z.string().min(1),
    fileName: z.string(),
    row: z.int().positive(),
  }),
  z.object({ kind: z.literal('seed') }),
  z.object({ kind: z.literal('migration'), applicationId: z.uuid(), campaignId: z.string() }),
]);
export type RegisterSource = z.infer<typeof RegisterSourceSchema>;

/** One change of an entry: its entry into the register, then every change of state. */
export const RegisterChangeSchema = z.object({
  at: IsoDateTimeSchema,
  /** Who: a person's subject, `workflow`, `import:<id>`, `seed`, `migration`. */
  by: z.string().min(1),
  from: RegisterStateSchema.optional(),
  to: RegisterStateSchema,
  reason: z.string().min(1),
});
export type RegisterChange = z.infer<typeof RegisterChangeSchema>;

export const RegisterEntrySchema = z.object({
  /** The natural key (level, cohort, county, normalised name): a re-import finds the same entry. */
  entryId: z.string().min(1),
  clusterName: z.string().min(1).max(100),
  countyCode: DivisionCodeSchema,
  /** The administrative province of the county (GB/T 2260, xx0000; 660000 for the XPCC). */
  provinceCode: DivisionCodeSchema,
  leadingIndustry: z.string().min(1).max(50),
  subSector: z.string().max(100),
  level: RegisterLevelSchema,
  /** The year of the list that recognised it (2022 cohort: re-reviewed in 2025). */
  cohort: z.int().min(2000).max(2100),
  validFrom: IsoDateSchema,
  validUntil: IsoDateSchema,
  state: RegisterStateSchema,
  history: z.array(RegisterChangeSchema).min(1),
  source: RegisterSourceSchema,
  /** Incremented on every change: state changes are conditional on it. */
  revision: z.int().nonnegative(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type RegisterEntry = z.infer<typeof RegisterEntrySchema>;

/** A recognition's validity: three years unless the list or campaign says otherwise. */
export const DEFAULT_VALIDITY_YEARS = 3;

export function addYearsToDate(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const result = new Date(Date.UTC(y + years, m - 1, d));
  // 29 February plus three years: 28 February, not 1 March.
  if (result.getUTCMonth() !== m - 1) result.setUTCDate(0);
  return result.toISOString().slice(0, 10);
}

/** Suffixes the lists write or leave off: "敦化市医药产业集群" and "敦化市医药" are one cluster. */
const NAME_SUFFIXES = ['中小企业特色产业集群', '特色产业集群', '产业集群', '集群'];
/** Marks of separation the lists use inconsistently. */
const SEPARATORS = /[\s·・•.,，、（）()"“”'‘’《》]/gu;

/**
 * A cluster name as the natural key compares it: NFKC (full-width letters and digits become
 * half-width), separators dropped, the county's place names at its start dropped (the lists
 * write "北京市丰台区轨道交通智能控制" or "轨道交通智能控制"), the cluster suffix dropped.
 */
export function normaliseClusterName(name: string, countyCode?: string): string {
  let text = name.normalize('NFKC').replace(SEPARATORS, '');
  const places = countyCode && findJurisdiction(countyCode) ? placeNamesAbove(countyCode) : [];
  // The longest place name at the start each time: "南京市" before its short form "南京".
  for (;;) {
    const place = places.find((name) => text.startsWith(name) && text.length > name.length);
    if (!place) break;
    text = text.slice(place.length);
  }
  for (const suffix of NAME_SUFFIXES) {
    if (text.endsWith(suffix) && text.length > suffix.length) {
      text = text.slice(0, -suffix.length);
      break;
    }
  }
  return text;
}

/** The county's names and those of its parents, each also without its administrative suffix. */
function placeNamesAbove(countyCode: string): string[] {
  const names = administrativeChain(countyCode).map((j) => j.name);
  return [...names, ...names.map(shortPlaceName)].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
}

/** "吉林省" → "吉林", "延边朝鲜族自治州" → "延边", "敦化市" → "敦化"; names of two characters stay. */
export function shortPlaceName(name: string): string {
  const short = name.replace(
    /(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|(?:[\u4e00-\u9fff]{1,6}族)*自治州|自治州|地区|盟|自治县|县|区|旗)$/u,
    '',
  );
  return short.length >= 2 ? short : name;
}

/**
 * The county and every administrative parent up to its province (a Qingdao district goes up to
 * 山东省, past the planned city that holds its provincial rank in the programme).
 */
export function administrativeChain(code: string) {
  const chain = [...parentChain(code)];
  for (let top = chain[chain.length - 1]; top?.parentCode !== undefined; top = chain[chain.length - 1]) {
    const parent = findJurisdiction(top.parentCode);
    if (!parent) break;
    chain.push(parent);
  }
  return chain;
}

/** The administrative province of a county (its topmost parent). */
export function provinceOf(countyCode: string): string {
  const chain = administrativeChain(countyCode);
  return chain[chain.length - 1]?.code ?? MIIT_CODE;
}

/** The natural key: one entry per level, cohort, county and cluster however the name is spelt. */
export function registerEntryId(key: {
  level: RegisterLevel;
  cohort: number;
  countyCode: string;
  clusterName: string;
}): string {
  return `${key.level}#${key.cohort}#${key.countyCode}#${normaliseClusterName(key.clusterName, key.countyCode)}`;
}

/**
 * Whether the entry's validity has passed (Beijing date). The state does not change by itself: a
 * lapsed national entry waits for its cohort's re-review, and what becomes of a member that never
 * filed is the operator's recorded decision (issue 13), not a rule of the clock.
 */
export function lapsedAt(entry: Pick<RegisterEntry, 'state' | 'validUntil'>, now: Date): boolean {
  return STANDING_STATES.has(entry.state) && entry.validUntil < beijingDate(now.toISOString());
}
