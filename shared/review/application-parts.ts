/**
 * The application's form as the review page shows it: the figures, the narratives and the
 * fields the county's province adds, read tolerantly (a field that does not fit is left out, the
 * page still renders). Apart from the page's layout, because it changes with the form's fields.
 */
import * as z from 'zod';
import type { FormAddition } from '../rules/form-additions.ts';
import {
  CRITERION_TITLES,
  type Criterion,
  TYPICAL_CASE_ASPECT_TITLES,
  type TypicalCaseAspect,
} from '../rules/criteria.ts';
import type { Bilingual } from '../schemas/common.ts';
import { html, type SafeHtml } from '../platform/pages/html.ts';

const percent = (share: number) => `${Number((share * 100).toFixed(1))}%`;

/** The form's figures and narratives, read tolerantly (a field that does not fit is left out). */
export const FormViewSchema = z.object({
  areaKm2: z.number().optional().catch(undefined),
  enterpriseCount: z.number().optional().catch(undefined),
  smeCount: z.number().optional().catch(undefined),
  outputByYear: z
    .array(z.object({ year: z.number(), output: z.number() }))
    .optional()
    .catch(undefined),
  smeOutputShare: z.number().optional().catch(undefined),
  leadingIndustryShare: z.number().optional().catch(undefined),
  averageGrowthRate: z.number().optional().catch(undefined),
  criteria: z.record(z.string(), z.string()).optional().catch(undefined),
  aspects: z.record(z.string(), z.string()).optional().catch(undefined),
  summary: z.string().optional().catch(undefined),
  changesSinceRecognition: z.string().optional().catch(undefined),
  contact: z.object({ name: z.string().optional(), phone: z.string().optional() }).optional().catch(undefined),
});

export function figures(form: z.infer<typeof FormViewSchema>): SafeHtml[] {
  const rows: [Bilingual, string][] = [];
  if (form.areaKm2 !== undefined) rows.push([{ zh: '集群面积', en: 'Area' }, `${form.areaKm2} km²`]);
  if (form.enterpriseCount !== undefined)
    rows.push([{ zh: '企业数量', en: 'Enterprises' }, String(form.enterpriseCount)]);
  if (form.smeCount !== undefined) rows.push([{ zh: '中小企业数量', en: 'SMEs' }, String(form.smeCount)]);
  for (const { year, output } of [...(form.outputByYear ?? [])].sort((a, b) => a.year - b.year)) {
    rows.push([{ zh: `${year}年产值`, en: `Output ${year}` }, `${output} 亿元`]);
  }
  if (form.smeOutputShare !== undefined)
    rows.push([{ zh: '中小企业产值占比', en: "SMEs' share of output" }, percent(form.smeOutputShare)]);
  if (form.leadingIndustryShare !== undefined)
    rows.push([{ zh: '主导产业占比', en: 'Leading industry share' }, percent(form.leadingIndustryShare)]);
  if (form.averageGrowthRate !== undefined)
    rows.push([{ zh: '年均增速', en: 'Average growth' }, percent(form.averageGrowthRate)]);
  if (form.contact?.name) {
    rows.push([{ zh: '联系人', en: 'Contact' }, `${form.contact.name} ${form.contact.phone ?? ''}`.trim()]);
  }
  return rows.map(([label, value]) => html`<dt>${label.zh} <span class="en">${label.en}</span></dt><dd>${value}</dd>`);
}

export function narratives(form: z.infer<typeof FormViewSchema>): SafeHtml[] {
  const parts: [Bilingual, string][] = [];
  for (const [id, text] of Object.entries(form.criteria ?? {})) {
    parts.push([CRITERION_TITLES[id as Criterion] ?? { zh: id, en: id }, text]);
  }
  for (const [id, text] of Object.entries(form.aspects ?? {})) {
    parts.push([TYPICAL_CASE_ASPECT_TITLES[id as TypicalCaseAspect] ?? { zh: id, en: id }, text]);
  }
  if (form.summary) parts.push([{ zh: '案例概述', en: 'Summary' }, form.summary]);
  if (form.changesSinceRecognition) {
    parts.push([{ zh: '认定以来发展情况', en: 'Changes since recognition' }, form.changesSinceRecognition]);
  }
  return parts
    .filter(([, text]) => text.trim() !== '')
    .map(
      ([title, text]) =>
        html`<details><summary>${title.zh} <span class="en">${title.en}</span></summary><p>${text}</p></details>`,
    );
}

/** The fields the county's province adds (Shanxi: contributions), each as the province labels it. */
export function provincialParts(additions: readonly FormAddition[], form: Record<string, unknown>): SafeHtml[] {
  const given = z
    .record(z.string(), z.union([z.string(), z.number()]))
    .catch({})
    .parse(form.provincial ?? {});
  return additions.flatMap((addition) => {
    const value = given[addition.id];
    if (value === undefined || String(value).trim() === '') return [];
    const { label, unit } = addition;
    const shown = unit ? `${value} ${unit.zh}` : String(value);
    return [
      html`<details open data-field="form.provincial.${addition.id}"><summary>${label.zh} <span class="en">${label.en}</span></summary><p>${shown}</p></details>`,
    ];
  });
}
