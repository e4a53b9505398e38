/**
 * The application form (申报表) as the county fills and prints it: the official groups in their
 * order, each field with its label, unit and help, for each track. The fields themselves (their
 * types and limits) are the rules' (shared/rules/form.ts); this says only how a person sees them.
 * A unit test holds every field of each track's draft schema to a place here, so a field added
 * to the rules cannot go missing from the page.
 *
 * A field's `name` is where the API names it: `clusterName` on the record, `form.<path>` inside
 * the form. Error details from the API carry the same names, so each lands beside its field.
 */
import { CRITERIA, CRITERION_TITLES, TYPICAL_CASE_ASPECT_TITLES, TYPICAL_CASE_ASPECTS } from '../rules/criteria.ts';
import { NARRATIVE_MAX, OUTPUT_YEARS } from '../rules/form.ts';
import { ADDITION_NARRATIVE_MAX, type FormAddition } from '../rules/form-additions.ts';
import type { Bilingual, Track } from '../schemas/common.ts';

export type FieldKind = 'text' | 'tel' | 'email' | 'int' | 'number' | 'year' | 'narrative' | 'codes' | 'tick';

export interface FormField {
  name: string;
  label: Bilingual;
  kind: FieldKind;
  unit?: Bilingual;
  help?: Bilingual;
  /** Longest accepted text, where the rules set one. */
  maxLength?: number;
}

export interface FormGroup {
  id: string;
  title: Bilingual;
  fields: readonly FormField[];
}

const YI: Bilingual = { zh: '亿元', en: '100 million yuan (亿元)' };
const SHARE_HELP: Bilingual = { zh: '填小数，0.72 即 72%', en: 'A fraction: 0.72 means 72 %' };
const NARRATIVE_HELP: Bilingual = {
  zh: `不超过${NARRATIVE_MAX}字`,
  en: `At most ${NARRATIVE_MAX} characters`,
};

const narrative = (name: string, label: Bilingual, help: Bilingual = NARRATIVE_HELP): FormField => ({
  name,
  label,
  kind: 'narrative',
  help,
  maxLength: NARRATIVE_MAX,
});

/** 一、基本情况: the cluster, and who at the county answers for it. */
const BASICS: FormGroup = {
  id: 'basics',
  title: { zh: '一、集群基本情况', en: '1. The cluster' },
  fields: [
    {
      name: 'clusterName',
      label: { zh: '集群名称', en: 'Cluster name' },
      kind: 'text',
      maxLength: 100,
      help: { zh: '如：敦化市医药产业集群', en: 'For example 敦化市医药产业集群' },
    },
    { name: 'leadingIndustry', label: { zh: '主导产业', en: 'Leading industry' }, kind: 'text', maxLength: 100 },
    {
      name: 'subSector',
      label: { zh: '细分领域', en: 'Sub-sector' },
      kind: 'text',
      maxLength: 100,
      help: { zh: '集群主导产业所属的细分领域', en: 'The narrow industry the cluster leads in' },
    },
    {
      name: 'coCountyCodes',
      label: { zh: '跨县域的其他县（市、区）', en: 'Other counties it spans' },
      kind: 'codes',
      help: {
        zh: '集群跨县域时填写其他县（市、区）的六位行政区划代码，以逗号或空格分隔；否则留空',
        en: 'Six-digit division codes of the other counties, separated by commas or spaces; empty if none',
      },
    },
  ],
};

const CONTACT: FormGroup = {
  id: 'contact',
  title: { zh: '二、联系人', en: '2. Contact' },
  fields: [
    {
      name: 'form.contact.name',
      label: { zh: '联系人', en: 'Contact person' },
      kind: 'text',
      maxLength: 50,
      help: { zh: '县级中小企业主管部门联系人', en: 'At the county SME authority' },
    },
    {
      name: 'form.contact.phone',
      label: { zh: '联系电话', en: 'Phone' },
      kind: 'tel',
      help: {
        zh: '手机（13812345678）或带区号的座机（0433-6222222）',
        en: 'Mobile (13812345678) or landline with area code (0433-6222222)',
      },
    },
    { name: 'form.contact.email', label: { zh: '电子邮箱', en: 'Email' }, kind: 'email' },
  ],
};

const outputYears: FormField[] = Array.from({ length: OUTPUT_YEARS }, (_, i) => [
  {
    name: `form.outputByYear.${i}.year`,
    label: { zh: `年份（${i + 1}）`, en: `Year (${i + 1})` },
    kind: 'year' as const,
    help: { zh: '申报年度之前的三个年度之一', en: 'One of the three years before the campaign’s year' },
  },
  {
    name: `form.outputByYear.${i}.output`,
    label: { zh: `当年集群产值（${i + 1}）`, en: `Cluster output that year (${i + 1})` },
    kind: 'number' as const,
    unit: YI,
  },
]).flat();

const FIGURES: FormGroup = {
  id: 'figures',
  title: { zh: '三、集群发展情况', en: '3. Figures' },
  fields: [
    {
      name: 'form.areaKm2',
      label: { zh: '集群面积', en: 'Area' },
      kind: 'number',
      unit: { zh: '平方公里', en: 'km²' },
    },
    {
      name: 'form.enterpriseCount',
      label: { zh: '企业数量', en: 'Enterprises' },
      kind: 'int',
      unit: { zh: '家', en: 'firms' },
    },
    {
      name: 'form.smeCount',
      label: { zh: '其中中小企业数量', en: 'Of which SMEs' },
      kind: 'int',
      unit: { zh: '家', en: 'firms' },
      help: { zh: '不超过企业数量', en: 'No more than the number of enterprises' },
    },
    ...outputYears,
    {
      name: 'form.smeOutputShare',
      label: { zh: '中小企业产值占比', en: 'SMEs’ share of output' },
      kind: 'number',
      help: SHARE_HELP,
    },
    {
      name: 'form.leadingIndustryShare',
      label: { zh: '主导产业产值占比', en: 'Leading industry’s share of output' },
      kind: 'number',
      help: SHARE_HELP,
    },
    {
      name: 'form.averageGrowthRate',
      label: { zh: '近三年产值年均增速', en: 'Average yearly growth, last three years' },
      kind: 'number',
      help: { zh: '填小数，0.12 即 12%', en: 'A fraction: 0.12 means 12 %' },
    },
  ],
};

const CRITERIA_GROUP: FormGroup = {
  id: 'criteria',
  title: { zh: '四、认定条件情况', en: '4. The recognition criteria' },
  fields: CRITERIA.map((criterion, i) =>
    narrative(`form.criteria.${criterion}`, {
      zh: `（${'一二三四五六七八'[i]}）${CRITERION_TITLES[criterion].zh}`,
      en: `(${i + 1}) ${CRITERION_TITLES[criterion].en}`,
    }),
  ),
};

const REREVIEW_GROUP: FormGroup = {
  id: 'rereview',
  title: { zh: '四、复核情况', en: '4. Since recognition' },
  fields: [
    { name: 'form.recognizedYear', label: { zh: '认定年度', en: 'Year recognised' }, kind: 'year' },
    narrative('form.changesSinceRecognition', { zh: '认定以来发展情况', en: 'How the cluster developed since' }),
  ],
};

const CASE_GROUP: FormGroup = {
  id: 'case',
  title: { zh: '三、典型案例', en: '3. The case' },
  fields: [
    narrative('form.summary', { zh: '案例概述', en: 'Summary' }),
    ...TYPICAL_CASE_ASPECTS.map((aspect) =>
      narrative(`form.aspects.${aspect}`, TYPICAL_CASE_ASPECT_TITLES[aspect], {
        zh: `至少写一个方面；${NARRATIVE_HELP.zh}`,
        en: `Write up at least one aspect. ${NARRATIVE_HELP.en}`,
      }),
    ),
  ],
};

/** 四、承诺: the county ticks each point of the typical case's attestation. */
const ATTESTATION_GROUP: FormGroup = {
  id: 'attestation',
  title: { zh: '四、承诺', en: '4. Attestation' },
  fields: [
    {
      name: 'form.attestation.trueAndValid',
      label: { zh: '案例内容真实有效', en: 'The case is true and valid' },
      kind: 'tick',
    },
    {
      name: 'form.attestation.noIpDispute',
      label: { zh: '不存在知识产权纠纷', en: 'It is free of intellectual-property disputes' },
      kind: 'tick',
    },
    {
      name: 'form.attestation.noSensitiveInformation',
      label: {
        zh: '不涉及国家秘密、个人信息及其他敏感信息',
        en: 'It holds no state secrets, personal information or other sensitive information',
      },
      kind: 'tick',
    },
  ],
};

/** The groups of each track's 申报表, in the official order. */
export const FORM_LAYOUT: Readonly<Record<Track, readonly FormGroup[]>> = {
  recommendation: [BASICS, CONTACT, FIGURES, CRITERIA_GROUP],
  rereview: [BASICS, CONTACT, FIGURES, REREVIEW_GROUP],
  'typical-case': [BASICS, CONTACT, CASE_GROUP, ATTESTATION_GROUP],
};

/** The official title of each track's form. */
export const FORM_TITLES: Readonly<Record<Track, Bilingual>> = {
  recommendation: { zh: '中小企业特色产业集群申报表', en: 'SME characteristic industrial cluster application form' },
  rereview: { zh: '中小企业特色产业集群复核申报表', en: 'SME characteristic industrial cluster re-review form' },
  'typical-case': { zh: '中小企业特色产业集群典型案例申报表', en: 'Typical case application form' },
};

/** A province's added field as the page shows it, named `form.provincial.<id>`. */
function additionField(addition: FormAddition): FormField {
  const field: FormField = {
    name: `form.provincial.${addition.id}`,
    label: addition.label,
    kind: addition.kind,
    ...(addition.unit && { unit: addition.unit }),
    ...(addition.help && { help: addition.help }),
    ...(addition.kind === 'narrative' && { maxLength: ADDITION_NARRATIVE_MAX }),
  };
  return field;
}

/** The group of the fields the county's province adds (五、本省补充情况), after the national ones. */
export function additionsGroup(additions: readonly FormAddition[]): FormGroup {
  return {
    id: 'provincial',
    title: { zh: '五、本省补充情况', en: '5. What the province adds' },
    fields: additions.map(additionField),
  };
}

/**
 * A track's groups for one county: the national layout, then the group of the fields its
 * province adds for the track (none: the national layout alone).
 */
export function formLayout(track: Track, additions: readonly FormAddition[] = []): readonly FormGroup[] {
  return additions.length === 0 ? FORM_LAYOUT[track] : [...FORM_LAYOUT[track], additionsGroup(additions)];
}

/** Every field of a track's form, in order, with its province's additions. */
export const fieldsOf = (track: Track, additions: readonly FormAddition[] = []): FormField[] =>
  formLayout(track, additions).flatMap((group) => group.fields);
