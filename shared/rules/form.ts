/**
 * The application form (申报表) per track, as zod schemas: a draft may be incomplete, a
 * submitted form must be complete. Also the threshold pre-check, which only ever warns: the
 * province decides.
 */
import * as z from 'zod';
import type { ErrorDetail } from '../platform/errors.ts';
import type { Bilingual, Track } from '../schemas/common.ts';
import { BilingualSchema } from '../schemas/common.ts';
import type { Thresholds } from './track-rules.ts';
import { CriterionSchema, TypicalCaseAspectSchema } from './criteria.ts';
import { type FormAddition, ProvincialDraftSchema, provincialFormSchema } from './form-additions.ts';

/** Mainland mobile (optionally +86) or landline with area code (optionally an extension). */
export const PHONE_PATTERN = /^(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/;

export const NARRATIVE_MAX = 5000;
/** How many past years of output the form reports. */
export const OUTPUT_YEARS = 3;

const narrative = z.string().trim().min(1).max(NARRATIVE_MAX);
/** A draft may hold an empty narrative while the county is still writing. */
const draftNarrative = z.string().max(NARRATIVE_MAX);

const ContactSchema = z.strictObject({
  name: z.string().trim().min(1).max(50).describe('contact person at the county SME authority'),
  phone: z
    .string()
    .regex(PHONE_PATTERN, 'a mainland mobile (13812345678) or landline (0433-6222222) number')
    .describe('mobile or landline with area code'),
  email: z.email().optional().describe('e-mail address'),
});

const OutputYearSchema = z.strictObject({
  year: z.int().min(2000).max(2100).describe('calendar year'),
  output: z.number().nonnegative().describe('cluster output that year, in 亿元 (100 million yuan)'),
});

const share = (what: string) => z.number().min(0).max(1).describe(`${what}, as a fraction 0..1 (0.72 = 72 %)`);

/** The cluster's figures, shared by the recommendation and re-review forms. */
const figures = {
  areaKm2: z.number().positive().max(100_000).describe('area of the cluster, in km² (平方公里)'),
  enterpriseCount: z.int().nonnegative().describe('number of enterprises in the cluster'),
  smeCount: z.int().nonnegative().describe('number of SMEs among them'),
  outputByYear: z
    .array(OutputYearSchema)
    .length(OUTPUT_YEARS, `exactly the last ${OUTPUT_YEARS} years`)
    .describe(`output in each of the last ${OUTPUT_YEARS} years, in 亿元`),
  smeOutputShare: share("SMEs' share of the cluster's output"),
  leadingIndustryShare: share("the leading industry's share of the cluster's output"),
  averageGrowthRate: z
    .number()
    .min(-1)
    .max(10)
    .describe('average yearly output growth over the last three years, as a fraction (0.12 = 12 %)'),
};

const draftFigures = {
  areaKm2: figures.areaKm2.optional(),
  enterpriseCount: figures.enterpriseCount.optional(),
  smeCount: figures.smeCount.optional(),
  outputByYear: z
    .array(OutputYearSchema.partial())
    .max(OUTPUT_YEARS)
    .optional()
    .describe(figures.outputByYear.description ?? ''),
  smeOutputShare: figures.smeOutputShare.optional(),
  leadingIndustryShare: figures.leadingIndustryShare.optional(),
  averageGrowthRate: figures.averageGrowthRate.optional(),
};

/*
 * Cross-field rules of a complete form. zod runs an object's refinement only once every field
 * parsed, so a county would see them in a second round, after completing the rest; each rule
 * here runs instead as soon as the fields it compares are valid by their own schemas above (zod's
 * `when`), and its issue joins the per-field ones.
 */

type Figure = keyof typeof figures;

/** The refinement's guard: the object's `fields` each present and valid by its own schema. */
const whenValid =
  (...fields: readonly Figure[]) =>
  (payload: z.core.ParsePayload): boolean => {
    const value = payload.value;
    if (value === null || typeof value !== 'object') return false;
    return fields.every((field) => figures[field].safeParse((value as Record<string, unknown>)[field]).success);
  };

/** The SMEs are among the enterprises: never more of them. */
function smesWithinEnterprises(form: { enterpriseCount: number; smeCount: number }, ctx: z.RefinementCtx): void {
  if (form.smeCount > form.enterpriseCount) {
    ctx.addIssue({ code: 'custom', path: ['smeCount'], message: 'smeCount cannot exceed enterpriseCount' });
  }
}

/** The three output years are consecutive; `campaignYear` pins them to the three before it. */
function consecutiveYears(form: { outputByYear: { year?: number }[] }, ctx: z.RefinementCtx, campaignYear?: number) {
  const years = form.outputByYear.map((entry) => entry.year);
  if (years.length !== OUTPUT_YEARS || years.some((year) => year === undefined)) return;
  const sorted = [...(years as number[])].sort((a, b) => a - b);
  const last = sorted[sorted.length - 1] ?? 0;
  const expected = Array.from({ length: OUTPUT_YEARS }, (_, i) => (campaignYear ?? last + 1) - OUTPUT_YEARS + i);
  if (sorted.some((year, i) => year !== expected[i])) {
    ctx.addIssue({
      code: 'custom',
      path: ['outputByYear'],
      message: `outputByYear must give each of the years ${expected.join(', ')} once`,
    });
  }
}

/** The cross-field rules of the figures, each guarded as above. */
function withFigureRules<T extends z.ZodType<z.infer<z.ZodObject<typeof figures>>>>(schema: T): T {
  return schema
    .superRefine((form, ctx) => smesWithinEnterprises(form, ctx), { when: whenValid('enterpriseCount', 'smeCount') })
    .superRefine((form, ctx) => consecutiveYears(form, ctx), { when: whenValid('outputByYear') });
}

const recommendationShape = {
  contact: ContactSchema,
  ...figures,
  criteria: z
    .record(CriterionSchema, narrative)
    .describe('a narrative for each of the eight criteria, 1..5000 characters'),
  provincial: ProvincialDraftSchema.optional(),
};
export const RecommendationFormSchema = withFigureRules(z.strictObject(recommendationShape));
export type RecommendationForm = z.infer<typeof RecommendationFormSchema>;

const rereviewShape = {
  contact: ContactSchema,
  ...figures,
  recognizedYear: z.int().min(2022).max(2100).describe('year the cluster was recognised'),
  changesSinceRecognition: narrative.describe('how the cluster developed since recognition, 1..5000 characters'),
  // Checked against the county's province's additions by missingFormFields.
  provincial: ProvincialDraftSchema.optional(),
};
export const RereviewFormSchema = withFigureRules(z.strictObject(rereviewShape));
export type RereviewForm = z.infer<typeof RereviewFormSchema>;

/**
 * What the county attests for a typical case (the call: 案例真实有效，不存在知识产权纠纷，不涉及国家秘密、
 * 个人信息及其他敏感信息): each ticked, or the case is not submitted.
 */
export const TYPICAL_CASE_ATTESTATIONS = ['trueAndValid', 'noIpDispute', 'noSensitiveInformation'] as const;
export type TypicalCaseAttestation = (typeof TYPICAL_CASE_ATTESTATIONS)[number];
const attested = z.literal(true, { error: 'must be ticked (true) before the case is submitted' });
const AttestationSchema = z.strictObject({
  trueAndValid: attested.describe('the case is true and valid'),
  noIpDispute: attested.describe('the case is free of intellectual-property disputes'),
  noSensitiveInformation: attested.describe(
    'the case holds no state secrets, personal information or other sensitive information',
  ),
});

const typicalCaseShape = {
  contact: ContactSchema,
  aspects: z
    .partialRecord(TypicalCaseAspectSchema, narrative)
    .refine((aspects) => Object.values(aspects).some((text) => text), 'write up at least one aspect')
    .describe('the case, aspect by aspect (at least one of the seven), 1..5000 characters each'),
  summary: narrative.describe('summary of the case, 1..5000 characters'),
  // Absent, it is read as nothing ticked, so the refusal names each point.
  attestation: AttestationSchema.prefault({} as z.input<typeof AttestationSchema>).describe(
    "the county's attestation, each point ticked",
  ),
  provincial: ProvincialDraftSchema.optional(),
};
export const TypicalCaseFormSchema = z.strictObject(typicalCaseShape);
export type TypicalCaseForm = z.infer<typeof TypicalCaseFormSchema>;

export const RecommendationDraftSchema = z.strictObject({
  contact: ContactSchema.partial().optional(),
  ...draftFigures,
  criteria: z.partialRecord(CriterionSchema, draftNarrative).optional(),
  provincial: ProvincialDraftSchema.optional(),
});
export const RereviewDraftSchema = z.strictObject({
  contact: ContactSchema.partial().optional(),
  ...draftFigures,
  recognizedYear: rereviewShape.recognizedYear.optional(),
  changesSinceRecognition: draftNarrative.optional(),
  provincial: ProvincialDraftSchema.optional(),
});
export const TypicalCaseDraftSchema = z.strictObject({
  contact: ContactSchema.partial().optional(),
  aspects: z.partialRecord(TypicalCaseAspectSchema, draftNarrative).optional(),
  summary: draftNarrative.optional(),
  attestation: z
    .strictObject({
      trueAndValid: z.boolean().optional(),
      noIpDispute: z.boolean().optional(),
      noSensitiveInformation: z.boolean().optional(),
    })
    .optional(),
  provincial: ProvincialDraftSchema.optional(),
});

const COMPLETE = {
  recommendation: RecommendationFormSchema,
  rereview: RereviewFormSchema,
  'typical-case': TypicalCaseFormSchema,
} as const satisfies Record<Track, z.ZodType>;

const DRAFT = {
  recommendation: RecommendationDraftSchema,
  rereview: RereviewDraftSchema,
  'typical-case': TypicalCaseDraftSchema,
} as const satisfies Record<Track, z.ZodType>;

export type ApplicationForm = z.infer<(typeof COMPLETE)[Track]>;
export type FormDraft = z.infer<(typeof DRAFT)[Track]>;

/** A draft: every field may be missing, but what is there must be well-formed. */
export function draftFormSchema<T extends Track>(track: T): (typeof DRAFT)[T] {
  return DRAFT[track];
}

/**
 * The complete form, checked at submit. With `campaignYear`, the output years must be exactly
 * the three years before it (a 2025 call: 2022, 2023, 2024).
 */
export function completeFormSchema<T extends Track>(track: T, campaignYear?: number): (typeof COMPLETE)[T] {
  const schema = COMPLETE[track];
  if (campaignYear === undefined) return schema;
  // superRefine returns a schema of the same class; TypeScript cannot follow that through T.
  return schema.superRefine(
    (form, ctx) => {
      if ('outputByYear' in form) consecutiveYears({ outputByYear: form.outputByYear }, ctx, campaignYear);
    },
    { when: whenValid('outputByYear') },
  ) as (typeof COMPLETE)[T];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** The issues of the form's `provincial` part against the fields the county's province adds. */
function provincialIssues(form: unknown, additions: readonly FormAddition[]): z.core.$ZodIssue[] {
  const provincial = valueAt(form, ['provincial']) ?? {};
  const result = provincialFormSchema(additions).safeParse(provincial);
  return result.success ? [] : result.error.issues.map((issue) => ({ ...issue, path: ['provincial', ...issue.path] }));
}

/**
 * Each missing or invalid field of a form to be submitted, named `form.<path>`; `additions` are
 * the fields the county's province adds for this track (form.provincial.<id>), none elsewhere.
 */
export function missingFormFields(
  track: Track,
  form: unknown,
  campaignYear?: number,
  additions: readonly FormAddition[] = [],
): ErrorDetail[] {
  const result = completeFormSchema(track, campaignYear).safeParse(form);
  const issues = [...(result.success ? [] : result.error.issues), ...provincialIssues(form, additions)];
  if (issues.length === 0) return [];
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  const add = (path: readonly PropertyKey[], code: string, message: (field: string) => string) => {
    const field = ['form', ...path.map(String)].join('.');
    if (seen.has(`${field} ${code}`)) return;
    seen.add(`${field} ${code}`);
    details.push({ field, code, message: message(field) });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        add([...issue.path, key], 'UNKNOWN_FIELD', (field) => `${field} is not a field of this form`);
      continue;
    }
    const value = valueAt(form, issue.path);
    const blank = typeof value === 'string' && value.trim() === '';
    if (value === undefined || blank) add(issue.path, 'MISSING_FIELD', (field) => `${field} is required`);
    else add(issue.path, 'INVALID_FIELD', (field) => `${field}: ${issue.message}`);
  }
  return details;
}

// ---- threshold pre-check -------------------------------------------------------------------

export const WARNING_CODES = [
  'BELOW_MIN_OUTPUT',
  'BELOW_MIN_SME_SHARE',
  'BELOW_MIN_LEADING_SHARE',
  'BELOW_MIN_GROWTH',
  'ABOVE_MAX_AREA',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export const WarningSchema = z.object({
  code: z.enum(WARNING_CODES),
  field: z.string(),
  required: z.number(),
  actual: z.number(),
  year: z.int().optional(),
  message: BilingualSchema,
  source: z.string().optional().describe("where the campaign's threshold comes from (its thresholds.source)"),
});
export type Warning = z.infer<typeof WarningSchema>;

type Unit = 'yi' | 'share' | 'km2';

/** The pre-check, as data: which form field meets which threshold, and what to say. */
const THRESHOLD_CHECKS: readonly {
  code: WarningCode;
  threshold: keyof Omit<Thresholds, 'western' | 'source'>;
  field: 'smeOutputShare' | 'leadingIndustryShare' | 'averageGrowthRate' | 'areaKm2' | 'outputByYear';
  bound: 'min' | 'max';
  unit: Unit;
  message: Bilingual;
}[] = [
  {
    code: 'BELOW_MIN_OUTPUT',
    threshold: 'minAnnualOutput',
    field: 'outputByYear',
    bound: 'min',
    unit: 'yi',
    message: {
      zh: '{year}年集群产值为{actual}，低于{required}的门槛',
      en: 'Cluster output in {year} was {actual}, below the threshold of {required}',
    },
  },
  {
    code: 'BELOW_MIN_SME_SHARE',
    threshold: 'minSmeOutputShare',
    field: 'smeOutputShare',
    bound: 'min',
    unit: 'share',
    message: {
      zh: '中小企业产值占比为{actual}，低于{required}的门槛',
      en: "SMEs' share of output is {actual}, below the threshold of {required}",
    },
  },
  {
    code: 'BELOW_MIN_LEADING_SHARE',
    threshold: 'minLeadingIndustryShare',
    field: 'leadingIndustryShare',
    bound: 'min',
    unit: 'share',
    message: {
      zh: '主导产业产值占比为{actual}，低于{required}的门槛',
      en: "The leading industry's share of output is {actual}, below the threshold of {required}",
    },
  },
  {
    code: 'BELOW_MIN_GROWTH',
    threshold: 'minAverageGrowth',
    field: 'averageGrowthRate',
    bound: 'min',
    unit: 'share',
    message: {
      zh: '年均增速为{actual}，低于{required}的门槛',
      en: 'Average yearly growth is {actual}, below the threshold of {required}',
    },
  },
  {
    code: 'ABOVE_MAX_AREA',
    threshold: 'maxAreaKm2',
    field: 'areaKm2',
    bound: 'max',
    unit: 'km2',
    message: {
      zh: '集群面积为{actual}，超过{required}的上限',
      en: 'The cluster covers {actual}, above the limit of {required}',
    },
  },
];

const round = (value: number, digits: number) => String(Number(value.toFixed(digits)));

const FORMATS: Readonly<Record<Unit, { zh: (v: number) => string; en: (v: number) => string }>> = {
  yi: { zh: (v) => `${round(v, 2)}亿元`, en: (v) => `${round(v, 2)} 亿元 (100 million yuan)` },
  share: { zh: (v) => `${round(v * 100, 1)}%`, en: (v) => `${round(v * 100, 1)} %` },
  km2: { zh: (v) => `${round(v, 2)}平方公里`, en: (v) => `${round(v, 2)} km²` },
};

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Compares the form's figures with the (already region-adjusted) thresholds a campaign sets,
 * naming their source. Warnings only: they never block a submission. Missing or malformed figures are skipped, so drafts work too.
 */
export function precheckThresholds(thresholds: Thresholds | undefined, form: unknown): Warning[] {
  if (!thresholds || form === null || typeof form !== 'object') return [];
  const values = form as Record<string, unknown>;
  const warnings: Warning[] = [];
  for (const check of THRESHOLD_CHECKS) {
    const required = thresholds[check.threshold];
    if (required === undefined) continue;
    const observations: { field: string; actual: number | undefined; year?: number }[] =
      check.field === 'outputByYear'
        ? (Array.isArray(values.outputByYear) ? values.outputByYear : []).map((entry: unknown, i) => ({
            field: `form.outputByYear.${i}.output`,
            actual: finite(valueAt(entry, ['output'])),
            year: finite(valueAt(entry, ['year'])),
          }))
        : [{ field: `form.${check.field}`, actual: finite(values[check.field]) }];
    for (const { field, actual, year } of observations) {
      if (actual === undefined) continue;
      if (check.bound === 'min' ? actual >= required : actual <= required) continue;
      const format = FORMATS[check.unit];
      const place = { year: year === undefined ? '?' : String(year) };
      warnings.push({
        code: check.code,
        field,
        required,
        actual,
        ...(year !== undefined && { year }),
        message: {
          zh: `${fill(check.message.zh, { ...place, actual: format.zh(actual), required: format.zh(required) })}（依据：${thresholds.source}）`,
          en: `${fill(check.message.en, { ...place, actual: format.en(actual), required: format.en(required) })} (source: ${thresholds.source})`,
        },
        source: thresholds.source,
      });
    }
  }
  return warnings;
}
