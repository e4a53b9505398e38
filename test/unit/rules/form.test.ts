import { describe, expect, it } from 'vitest';
import { effectiveRules } from '../../../shared/rules/effective-rules.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { findBuiltInCampaign } from '../../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../../shared/rules/criteria.ts';
import {
  completeFormSchema,
  draftFormSchema,
  missingFormFields,
  precheckThresholds,
} from '../../../shared/rules/form.ts';

const completeRecommendation = () => ({
  contact: { name: '张伟', phone: '0433-6222222', email: 'zhang@example.cn' },
  areaKm2: 80,
  enterpriseCount: 320,
  smeCount: 300,
  outputByYear: [
    { year: 2022, output: 52.3 },
    { year: 2023, output: 58.1 },
    { year: 2024, output: 66 },
  ],
  smeOutputShare: 0.78,
  leadingIndustryShare: 0.81,
  averageGrowthRate: 0.12,
  criteria: Object.fromEntries(CRITERIA.map((c) => [c, `关于${c}的说明`])),
});

describe('draft vs complete forms', () => {
  it('accepts an incomplete but well-formed draft, which the complete schema refuses', () => {
    const draft = {
      contact: { name: '张伟' },
      areaKm2: 80,
      outputByYear: [{ year: 2024 }],
      criteria: { 'green-development': '' },
    };
    expect(draftFormSchema('recommendation').safeParse(draft).success).toBe(true);
    expect(completeFormSchema('recommendation').safeParse(draft).success).toBe(false);
    expect(draftFormSchema('recommendation').safeParse({}).success).toBe(true);
  });

  it('rejects ill-formed values and unknown fields even in a draft', () => {
    expect(draftFormSchema('recommendation').safeParse({ smeOutputShare: 72 }).success).toBe(false);
    expect(draftFormSchema('recommendation').safeParse({ contact: { phone: '12345' } }).success).toBe(false);
    expect(draftFormSchema('recommendation').safeParse({ critera: {} }).success).toBe(false);
    expect(draftFormSchema('typical-case').safeParse({ aspects: { 'not-an-aspect': 'x' } }).success).toBe(false);
  });

  it('accepts a complete recommendation form', () => {
    expect(completeFormSchema('recommendation', 2025).parse(completeRecommendation())).toBeTruthy();
    expect(missingFormFields('recommendation', completeRecommendation(), 2025)).toEqual([]);
  });

  it.each(['13812345678', '+86 13812345678', '010-68205324', '043362222220', '0433-6222222-801'])(
    'accepts the phone number %s',
    (phone) => {
      const form = { ...completeRecommendation(), contact: { name: '张伟', phone } };
      expect(completeFormSchema('recommendation').safeParse(form).success).toBe(true);
    },
  );

  it('names each missing or invalid field', () => {
    const { criteria, averageGrowthRate: _dropped, ...rest } = completeRecommendation();
    const form = {
      ...rest,
      smeCount: 400, // more SMEs than enterprises
      outputByYear: rest.outputByYear.slice(0, 2),
      criteria: { ...criteria, 'open-cooperation': '   ' },
      extra: true,
    };
    const details = missingFormFields('recommendation', form);
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'form.averageGrowthRate', code: 'MISSING_FIELD' }),
        expect.objectContaining({ field: 'form.outputByYear', code: 'INVALID_FIELD' }),
        expect.objectContaining({ field: 'form.criteria.open-cooperation', code: 'MISSING_FIELD' }),
        expect.objectContaining({ field: 'form.extra', code: 'UNKNOWN_FIELD' }),
      ]),
    );
    expect(missingFormFields('recommendation', undefined)).toEqual([
      expect.objectContaining({ field: 'form', code: 'MISSING_FIELD' }),
    ]);
  });

  it('checks cross-field rules once the fields are there', () => {
    const tooManySmes = { ...completeRecommendation(), smeCount: 400 };
    expect(missingFormFields('recommendation', tooManySmes)).toEqual([
      expect.objectContaining({ field: 'form.smeCount', code: 'INVALID_FIELD' }),
    ]);
  });

  it('checks a cross-field rule as soon as the fields it compares are valid, alongside the missing ones', () => {
    const { averageGrowthRate: _dropped, ...rest } = completeRecommendation();
    const incomplete = { ...rest, smeCount: 400, contact: { name: '张伟' } };
    expect(missingFormFields('recommendation', incomplete, 2026)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'form.averageGrowthRate', code: 'MISSING_FIELD' }),
        expect.objectContaining({ field: 'form.contact.phone', code: 'MISSING_FIELD' }),
        expect.objectContaining({
          field: 'form.smeCount',
          code: 'INVALID_FIELD',
          message: expect.stringContaining('smeCount cannot exceed enterpriseCount'),
        }),
        expect.objectContaining({ field: 'form.outputByYear', message: expect.stringContaining('2023, 2024, 2025') }),
      ]),
    );
    const { criteria: _criteria, ...figures } = incomplete;
    expect(missingFormFields('rereview', figures).map((d) => d.field)).toContain('form.smeCount');
    // Not while one of them is itself missing or wrong: that field's own error says what to do.
    const noFirms = { ...incomplete, enterpriseCount: undefined };
    expect(missingFormFields('recommendation', noFirms).filter((d) => d.field === 'form.smeCount')).toEqual([]);
    const halfFirms = { ...incomplete, enterpriseCount: 320.5 };
    expect(missingFormFields('recommendation', halfFirms).filter((d) => d.field === 'form.smeCount')).toEqual([]);
    const twoYears = { ...incomplete, outputByYear: rest.outputByYear.slice(0, 2) };
    expect(missingFormFields('recommendation', twoYears, 2026).filter((d) => d.field === 'form.outputByYear')).toEqual([
      expect.objectContaining({ message: expect.not.stringContaining('2023, 2024, 2025') }),
    ]);
  });

  it('pins the output years to the three before the campaign year', () => {
    const form = completeRecommendation();
    expect(missingFormFields('recommendation', form, 2026)).toEqual([
      expect.objectContaining({
        field: 'form.outputByYear',
        message: expect.stringContaining('2023, 2024, 2025'),
      }),
    ]);
    const gap = { ...form, outputByYear: [2020, 2022, 2024].map((year) => ({ year, output: 50 })) };
    expect(missingFormFields('recommendation', gap).map((d) => d.field)).toEqual(['form.outputByYear']);
  });

  it('re-review form: the figures plus recognition year and changes since', () => {
    const { criteria: _criteria, ...figures } = completeRecommendation();
    const form = { ...figures, recognizedYear: 2022, changesSinceRecognition: '新增专精特新企业12家' };
    expect(missingFormFields('rereview', form, 2025)).toEqual([]);
    expect(missingFormFields('rereview', { ...form, recognizedYear: undefined }).map((d) => d.field)).toEqual([
      'form.recognizedYear',
    ]);
  });

  it('typical-case form: at least one aspect and a summary', () => {
    const contact = { name: '李娜', phone: '13912345678' };
    const attestation = { trueAndValid: true, noIpDispute: true, noSensitiveInformation: true };
    expect(
      missingFormFields('typical-case', {
        contact,
        aspects: { 'quality-brand': '品牌建设' },
        summary: '概述',
        attestation,
      }),
    ).toEqual([]);
    expect(missingFormFields('typical-case', { contact, aspects: {}, summary: '概述', attestation })).toEqual([
      expect.objectContaining({ field: 'form.aspects', code: 'INVALID_FIELD' }),
    ]);
  });

  it('typical-case form: refused without the attestation, naming each point not ticked', () => {
    const form = {
      contact: { name: '李娜', phone: '13912345678' },
      aspects: { innovation: '创新提升' },
      summary: '概述',
    };
    expect(missingFormFields('typical-case', form).map((d) => [d.field, d.code])).toEqual([
      ['form.attestation.trueAndValid', 'MISSING_FIELD'],
      ['form.attestation.noIpDispute', 'MISSING_FIELD'],
      ['form.attestation.noSensitiveInformation', 'MISSING_FIELD'],
    ]);
    const partly = { ...form, attestation: { trueAndValid: true, noIpDispute: false, noSensitiveInformation: true } };
    expect(missingFormFields('typical-case', partly).map((d) => [d.field, d.code])).toEqual([
      ['form.attestation.noIpDispute', 'INVALID_FIELD'],
    ]);
    // A draft may hold the boxes unticked while the county writes.
    expect(draftFormSchema('typical-case').safeParse({ attestation: { noIpDispute: false } }).success).toBe(true);
  });
});

describe('precheckThresholds', () => {
  // The seeds set no thresholds (the notices give none): a campaign of the test's own sets them,
  // naming where they come from.
  const seed = findBuiltInCampaign('miit-2025-recommendation');
  const seedTrack = seed?.tracks.recommendation;
  if (!seed || !seedTrack) throw new Error('seed missing');
  const campaign: Campaign = {
    ...seed,
    tracks: {
      recommendation: {
        ...seedTrack,
        thresholds: {
          source: '测试用门槛（示例）',
          minAnnualOutput: 40,
          minSmeOutputShare: 0.7,
          minLeadingIndustryShare: 0.7,
          minAverageGrowth: 0.1,
          maxAreaKm2: 100,
          western: { minAnnualOutput: 20, minAverageGrowth: 0.08 },
        },
      },
    },
  };
  const national = effectiveRules(campaign, 'recommendation', '222403').thresholds; // 吉林 敦化
  const western = effectiveRules(campaign, 'recommendation', '510104').thresholds; // 成都 锦江区

  const weak = {
    ...completeRecommendation(),
    areaKm2: 120,
    outputByYear: [
      { year: 2022, output: 25 },
      { year: 2023, output: 30 },
      { year: 2024, output: 45 },
    ],
    smeOutputShare: 0.65,
    leadingIndustryShare: 0.7,
    averageGrowthRate: 0.09,
  };

  it('warns on each figure below a national threshold, with bilingual messages', () => {
    const warnings = precheckThresholds(national, weak);
    expect(warnings.map((w) => [w.code, w.field])).toEqual([
      ['BELOW_MIN_OUTPUT', 'form.outputByYear.0.output'],
      ['BELOW_MIN_OUTPUT', 'form.outputByYear.1.output'],
      ['BELOW_MIN_SME_SHARE', 'form.smeOutputShare'],
      ['BELOW_MIN_GROWTH', 'form.averageGrowthRate'],
      ['ABOVE_MAX_AREA', 'form.areaKm2'],
    ]);
    expect(warnings[0]).toMatchObject({ required: 40, actual: 25, year: 2022 });
    expect(warnings[0]?.message.zh).toContain('2022年');
    expect(warnings[2]?.message).toEqual({
      zh: '中小企业产值占比为65%，低于70%的门槛（依据：测试用门槛（示例））',
      en: "SMEs' share of output is 65 %, below the threshold of 70 % (source: 测试用门槛（示例）)",
    });
    expect(warnings.every((w) => w.source === '测试用门槛（示例）')).toBe(true);
  });

  it('checks only the figures a campaign sets', () => {
    const warnings = precheckThresholds({ source: '某通知', maxAreaKm2: 100 }, weak);
    expect(warnings.map((w) => w.code)).toEqual(['ABOVE_MAX_AREA']);
  });

  it('judges a western county by the relaxed thresholds', () => {
    const warnings = precheckThresholds(western, weak);
    expect(warnings.map((w) => w.code)).toEqual(['BELOW_MIN_SME_SHARE', 'ABOVE_MAX_AREA']);
  });

  it('is silent for a strong cluster, no thresholds, or a draft without figures', () => {
    expect(precheckThresholds(national, completeRecommendation())).toEqual([]);
    expect(precheckThresholds(undefined, weak)).toEqual([]);
    expect(precheckThresholds(national, { contact: { name: '张伟' } })).toEqual([]);
    expect(precheckThresholds(national, 'not a form')).toEqual([]);
  });
});
