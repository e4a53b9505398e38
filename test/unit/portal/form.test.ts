import { describe, expect, it } from 'vitest';
import { canonicalJson, formDigest } from '../../../shared/intake/digest.ts';
import { fieldsOf, FORM_LAYOUT, formLayout } from '../../../shared/portal/form-layout.ts';
import { SHANXI_REREVIEW_CONTRIBUTIONS } from '../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { FormAdditionSchema } from '../../../shared/rules/form-additions.ts';
import { fieldValues, postedApplication } from '../../../shared/portal/form-values.ts';
import { CRITERIA, TYPICAL_CASE_ASPECTS } from '../../../shared/rules/criteria.ts';
import { draftFormSchema, OUTPUT_YEARS } from '../../../shared/rules/form.ts';
import { TRACKS } from '../../../shared/schemas/common.ts';
import { sampleRecommendationForm } from '../../../local/sample-evidence.ts';
import { sampleApplication } from '../support.ts';

describe('the 申报表 layout', () => {
  it.each(TRACKS)('%s: places every field of the rules’ draft form, and only those', (track) => {
    const names = new Set(fieldsOf(track).map((field) => field.name));
    const topLevel = new Set([...names].filter((n) => n.startsWith('form.')).map((n) => n.split('.')[1]));
    // `provincial` holds the fields a province adds: placed only where one adds some (below).
    expect([...topLevel, 'provincial'].sort()).toEqual(Object.keys(draftFormSchema(track).shape).sort());
    for (const key of ['name', 'phone', 'email']) expect(names.has(`form.contact.${key}`), key).toBe(true);
    if (track === 'recommendation') for (const c of CRITERIA) expect(names.has(`form.criteria.${c}`), c).toBe(true);
    if (track === 'typical-case')
      for (const a of TYPICAL_CASE_ASPECTS) expect(names.has(`form.aspects.${a}`), a).toBe(true);
    if (track !== 'typical-case')
      for (let i = 0; i < OUTPUT_YEARS; i++) expect(names.has(`form.outputByYear.${i}.output`)).toBe(true);
    expect(FORM_LAYOUT[track][0]?.fields.map((f) => f.name)).toEqual([
      'clusterName',
      'leadingIndustry',
      'subSector',
      'coCountyCodes',
    ]);
  });
});

describe('the posted form and the API’s body', () => {
  const form = sampleRecommendationForm(2026);
  const application = sampleApplication({ form, coCountyCodes: ['222401', '222402'] });

  it('round-trips a saved application through the page’s fields', () => {
    const posted = postedApplication('recommendation', fieldValues('recommendation', application));
    expect(posted.form).toEqual(form);
    expect(posted.coCountyCodes).toEqual(['222401', '222402']);
    expect(posted.clusterName).toBe(application.clusterName);
  });

  it('turns numbers into numbers, keeps what is not one as text (so the API names it), and nulls blanks', () => {
    const posted = postedApplication('recommendation', {
      clusterName: ' 敦化市医药产业集群 ',
      'form.areaKm2': '58.6',
      'form.enterpriseCount': '一百',
      'form.outputByYear.1.output': '46.8',
      'form.contact.phone': '',
    });
    expect(posted.clusterName).toBe('敦化市医药产业集群');
    expect(posted.leadingIndustry).toBe('');
    expect(posted.form.areaKm2).toBe(58.6);
    expect(posted.form.enterpriseCount).toBe('一百');
    // Positions kept: an error on outputByYear.1 names the second row.
    expect(posted.form.outputByYear).toEqual([{}, { output: 46.8 }]);
    expect(posted.form.contact).toBeNull();
    expect(posted.form.criteria).toBeNull();
  });

  it('a typical case’s attestation: a ticked box posts true, an unticked one nothing; a saved one shows ticked', () => {
    const posted = postedApplication('typical-case', {
      'form.summary': '概述',
      'form.attestation.trueAndValid': 'true',
      'form.attestation.noSensitiveInformation': 'true',
    });
    expect(posted.form.attestation).toEqual({ trueAndValid: true, noSensitiveInformation: true });
    const shown = fieldValues('typical-case', sampleApplication({ track: 'typical-case', form: posted.form }));
    expect(shown['form.attestation.trueAndValid']).toBe('true');
    expect(shown['form.attestation.noIpDispute']).toBeUndefined();
  });

  it('reads only the layout’s own names from a posted form', () => {
    const posted = postedApplication('recommendation', {
      __proto__: 'x',
      'form.__proto__.polluted': 'yes',
      'form.unknown': '1',
    });
    expect(Object.keys(posted.form)).not.toContain('unknown');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the form digest', () => {
  it('is the first 12 hex digits of SHA-256 over the canonical JSON: key order does not matter, content does', () => {
    const a = sampleApplication({ form: { areaKm2: 1, contact: { name: '李明', phone: '13812345678' } } });
    const b = sampleApplication({ form: { contact: { phone: '13812345678', name: '李明' }, areaKm2: 1 } });
    expect(formDigest(a)).toMatch(/^[0-9a-f]{12}$/);
    expect(formDigest(a)).toBe(formDigest(b));
    expect(formDigest(sampleApplication({ form: { areaKm2: 2 } }))).not.toBe(formDigest(a));
    expect(formDigest({ ...a, clusterName: '另一个集群' })).not.toBe(formDigest(a));
    // Status, revision and times are not the form: a stamped printout stays valid while the review moves on.
    const moved = { ...a, status: 'CITY_REVIEW' as const, revision: 9 };
    expect(formDigest(moved)).toBe(formDigest(a));
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":3,"d":2}]}');
  });
});

describe('the fields a province adds (Shanxi’s re-review contributions)', () => {
  const additions = SHANXI_REREVIEW_CONTRIBUTIONS.map((input) => FormAdditionSchema.parse(input));

  it('come last, in their own group, named form.provincial.<id>; without additions the national layout', () => {
    const groups = formLayout('rereview', additions);
    expect(groups.slice(0, -1)).toEqual(FORM_LAYOUT.rereview);
    expect(groups.at(-1)?.fields.map((f) => [f.name, f.kind])).toEqual(
      additions.map((a) => [`form.provincial.${a.id}`, a.kind]),
    );
    expect(formLayout('rereview')).toBe(FORM_LAYOUT.rereview);
    expect(fieldsOf('rereview').some((f) => f.name.startsWith('form.provincial.'))).toBe(false);
  });

  it('round-trip through the page: narratives as text, figures as numbers, all blank as null', () => {
    const posted = postedApplication(
      'rereview',
      { 'form.provincial.economyContribution': '带动县域经济', 'form.provincial.employees': '12000' },
      additions,
    );
    expect(posted.form.provincial).toEqual({ economyContribution: '带动县域经济', employees: 12000 });
    const shown = fieldValues(
      'rereview',
      sampleApplication({ form: { provincial: posted.form.provincial } }),
      additions,
    );
    expect(shown['form.provincial.employees']).toBe('12000');
    expect(postedApplication('rereview', {}, additions).form.provincial).toBeNull();
    // A county whose province adds nothing never sends the part.
    expect(Object.hasOwn(postedApplication('rereview', {}).form, 'provincial')).toBe(false);
  });
});
