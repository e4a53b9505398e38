import { describe, expect, it } from 'vitest';
import { ProvinceOverlaySchema } from '../../../shared/rules/province-overlay.ts';
import { miit2025Rereview } from '../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { effectiveRules } from '../../../shared/rules/effective-rules.ts';
import { additionsFor, FormAdditionSchema } from '../../../shared/rules/form-additions.ts';
import { draftFormSchema, missingFormFields } from '../../../shared/rules/form.ts';

/** A complete re-review form of the national call (2025: output of 2022..2024). */
const completeRereview = () => ({
  contact: { name: '王芳', phone: '0351-6222222' },
  areaKm2: 40,
  enterpriseCount: 210,
  smeCount: 200,
  outputByYear: [
    { year: 2022, output: 40 },
    { year: 2023, output: 45 },
    { year: 2024, output: 51 },
  ],
  smeOutputShare: 0.8,
  leadingIndustryShare: 0.75,
  averageGrowthRate: 0.1,
  recognizedYear: 2022,
  changesSinceRecognition: '认定以来产值稳步增长',
});

const shanxiContributions = {
  economyContribution: '集群带动县域经济增长',
  employmentContribution: '吸纳就业一万二千人',
  innovationContribution: '建成两个省级技术中心',
};

const additionsAt = (countyCode: string) =>
  additionsFor(effectiveRules(miit2025Rereview, 'rereview', countyCode).overlay?.formAdditions, 'rereview');

describe('a province’s form additions', () => {
  it('are data: an id the API names, bilingual labels, a kind; optional unless required', () => {
    const parsed = FormAdditionSchema.parse({ id: 'jobs', label: { zh: '就业', en: 'Jobs' }, kind: 'number' });
    expect(parsed.required).toBe(false);
    expect(
      FormAdditionSchema.safeParse({ id: 'Jobs-1', label: { zh: '就业', en: 'Jobs' }, kind: 'number' }).success,
    ).toBe(false);
    expect(FormAdditionSchema.safeParse({ id: 'jobs', label: { zh: '就业', en: 'Jobs' }, kind: 'date' }).success).toBe(
      false,
    );
  });

  it('an overlay names each addition once', () => {
    const addition = { id: 'jobs', label: { zh: '就业', en: 'Jobs' }, kind: 'number' };
    const overlay = { provinceCode: '140000', name: { zh: '山西省', en: 'Shanxi' } };
    expect(ProvinceOverlaySchema.parse(overlay).formAdditions).toEqual([]);
    const twice = ProvinceOverlaySchema.safeParse({ ...overlay, formAdditions: [addition, addition] });
    expect(twice.success).toBe(false);
  });

  it('an addition limited to some tracks is on those tracks’ forms only', () => {
    const additions = [
      FormAdditionSchema.parse({ id: 'a', label: { zh: '甲', en: 'A' }, kind: 'number', tracks: ['rereview'] }),
      FormAdditionSchema.parse({ id: 'b', label: { zh: '乙', en: 'B' }, kind: 'number' }),
    ];
    expect(additionsFor(additions, 'rereview').map((a) => a.id)).toEqual(['a', 'b']);
    expect(additionsFor(additions, 'recommendation').map((a) => a.id)).toEqual(['b']);
    expect(additionsFor(undefined, 'rereview')).toEqual([]);
  });
});

describe('Shanxi’s re-review: contributions to the local economy, employment and technical innovation', () => {
  it('Shanxi’s counties (综改区 too) are asked for three narratives, each with an optional figure', () => {
    for (const county of ['140105', '140171']) {
      const additions = additionsAt(county);
      expect(additions.filter((a) => a.required).map((a) => [a.id, a.kind])).toEqual([
        ['economyContribution', 'narrative'],
        ['employmentContribution', 'narrative'],
        ['innovationContribution', 'narrative'],
      ]);
      expect(additions.filter((a) => !a.required).every((a) => a.kind === 'number' && a.unit)).toBe(true);
    }
  });

  it('Jilin’s and Beijing’s counties are asked for none', () => {
    expect(additionsAt('222403')).toEqual([]);
    expect(additionsAt('110105')).toEqual([]);
  });

  it('at submit, each missing contribution is named form.provincial.<id>', () => {
    const details = missingFormFields('rereview', completeRereview(), 2025, additionsAt('140105'));
    expect(details.map((d) => [d.field, d.code])).toEqual([
      ['form.provincial.economyContribution', 'MISSING_FIELD'],
      ['form.provincial.employmentContribution', 'MISSING_FIELD'],
      ['form.provincial.innovationContribution', 'MISSING_FIELD'],
    ]);
    const blank = { ...completeRereview(), provincial: { ...shanxiContributions, employmentContribution: '  ' } };
    expect(missingFormFields('rereview', blank, 2025, additionsAt('140105')).map((d) => d.field)).toEqual([
      'form.provincial.employmentContribution',
    ]);
  });

  it('filled in, with or without the figures, the form is complete; a figure must be a non-negative number', () => {
    const additions = additionsAt('140105');
    const filled = { ...completeRereview(), provincial: shanxiContributions };
    expect(missingFormFields('rereview', filled, 2025, additions)).toEqual([]);
    const withFigures = { ...filled, provincial: { ...shanxiContributions, employees: 12000, taxRevenue: 3.2 } };
    expect(missingFormFields('rereview', withFigures, 2025, additions)).toEqual([]);
    const negative = { ...filled, provincial: { ...shanxiContributions, employees: -1 } };
    expect(missingFormFields('rereview', negative, 2025, additions).map((d) => [d.field, d.code])).toEqual([
      ['form.provincial.employees', 'INVALID_FIELD'],
    ]);
  });

  it('a Jilin county’s form is complete without them, and refuses them as unknown fields', () => {
    expect(missingFormFields('rereview', completeRereview(), 2025, additionsAt('222403'))).toEqual([]);
    const sent = { ...completeRereview(), provincial: shanxiContributions };
    expect(missingFormFields('rereview', sent, 2025, additionsAt('222403')).map((d) => [d.field, d.code])).toEqual([
      ['form.provincial.economyContribution', 'UNKNOWN_FIELD'],
      ['form.provincial.employmentContribution', 'UNKNOWN_FIELD'],
      ['form.provincial.innovationContribution', 'UNKNOWN_FIELD'],
    ]);
  });

  it('a draft may hold them half-written, but well-formed', () => {
    const draft = draftFormSchema('rereview');
    expect(draft.safeParse({ provincial: { economyContribution: '' } }).success).toBe(true);
    expect(draft.safeParse({ provincial: { employees: -3 } }).success).toBe(false);
    expect(draft.safeParse({ provincial: { employees: { many: true } } }).success).toBe(false);
  });
});
