import { describe, expect, it } from 'vitest';
import { assertAllowed, liesWithin, may, ROUTE_RULES } from '../../../../shared/platform/auth/policy.ts';
import { type Principal, principalFromClaims } from '../../../../shared/platform/auth/principal.ts';
import { ROUTES, routeKey } from '../../../../shared/platform/http/routes.ts';

/**
 * The authorisation matrix: every rule × role × relation to the target. The target is an
 * application filed by 敦化市 (222403), under 延边州 (222400) in 吉林省 (220000), whose current
 * review is the city's. Relations, per role:
 *
 *   applicant  own 222403 · parent 222400 · sibling 222401 (延吉市, same city) · unrelated 140105 (太原小店区)
 *   reviewer   own 222400 (the stage's) · parent 220000 · sibling 220100 (长春市) · unrelated 140100 (太原市)
 *   operator   own 220000 (its province) · parent 000000 (national) · sibling 210000 (辽宁) · unrelated 140000 (山西)
 */
const application = { countyCode: '222403', cityCode: '222400', provincialCode: '220000' };
const review = { jurisdictionCode: '222400' };
const RELATIONS = ['own', 'parent', 'sibling', 'unrelated'] as const;
type Relation = (typeof RELATIONS)[number];
const JURISDICTION: Record<Principal['role'], Record<Relation, string>> = {
  applicant: { own: '222403', parent: '222400', sibling: '222401', unrelated: '140105' },
  reviewer: { own: '222400', parent: '220000', sibling: '220100', unrelated: '140100' },
  operator: { own: '220000', parent: '000000', sibling: '210000', unrelated: '140000' },
};
const principal = (role: Principal['role'], relation: Relation): Principal => ({
  sub: `${role}-${relation}`,
  role,
  jurisdiction: JURISDICTION[role][relation],
});

/** What each rule answers, on this target, for [own, parent, sibling, unrelated] of each role. */
const MATRIX: Record<string, { check: (p: Principal) => boolean } & Record<Principal['role'], boolean[]>> = {
  file: {
    check: (p) => may.file(p, application.countyCode),
    applicant: [true, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, false, false, false],
  },
  actAsApplicant: {
    check: (p) => may.actAsApplicant(p, application),
    applicant: [true, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, false, false, false],
  },
  // County items: the county's applicant; the city's own statement: the city's reviewers only.
  'uploadEvidence (county item)': {
    check: (p) => may.uploadEvidence(p, application, 'county'),
    applicant: [true, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, false, false, false],
  },
  'uploadEvidence (city item)': {
    check: (p) => may.uploadEvidence(p, application, 'city'),
    applicant: [false, false, false, false],
    reviewer: [true, false, false, false],
    operator: [false, false, false, false],
  },
  // Reviewers read what lies below them: the city's and the province's reviewers both read it.
  read: {
    check: (p) => may.read(p, application),
    applicant: [true, false, false, false],
    reviewer: [true, true, false, false],
    operator: [true, true, false, false],
  },
  // The people in its trail (the addresses a link went to): the officials who read it, not its county.
  seeReviewerAddresses: {
    check: (p) => may.seeReviewerAddresses(p, application),
    applicant: [false, false, false, false],
    reviewer: [true, true, false, false],
    operator: [true, true, false, false],
  },
  // Only the stage's own jurisdiction decides: not the province above it.
  decide: {
    check: (p) => may.decide(p, review),
    applicant: [false, false, false, false],
    reviewer: [true, false, false, false],
    operator: [false, false, false, false],
  },
  review: {
    check: (p) => may.review(p, review.jurisdictionCode),
    applicant: [false, false, false, false],
    reviewer: [true, false, false, false],
    operator: [false, false, false, false],
  },
  // A level's expert panels (the province's, here): its reviewers and its operators, no one else.
  seePanels: {
    check: (p) => may.seePanels(p, '220000'),
    applicant: [false, false, false, false],
    reviewer: [false, true, false, false],
    operator: [true, false, false, false],
  },
  export: {
    check: (p) => may.export(p, '222400'),
    applicant: [false, false, false, false],
    reviewer: [true, true, false, false],
    operator: [true, true, false, false],
  },
  operate: {
    check: (p) => may.operate(p, application),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [true, true, false, false],
  },
  watch: {
    check: (p) => may.watch(p, '220000'),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [true, true, false, false],
  },
  addCampaign: {
    check: (p) => may.addCampaign(p),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, true, false, false],
  },
  migrateRecords: {
    check: (p) => may.migrateRecords(p),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, true, false, false],
  },
  object: {
    check: (p) => may.object(p),
    applicant: [true, true, true, true],
    reviewer: [true, true, true, true],
    operator: [true, true, true, true],
  },
  // An objection to a notice 吉林省 holds: its reviewers, and operators over it (its own, national).
  triageObjection: {
    check: (p) => may.triageObjection(p, '220000'),
    applicant: [false, false, false, false],
    reviewer: [false, true, false, false],
    operator: [true, true, false, false],
  },
  // A notice MIIT holds (000000): MIIT's reviewers and national operators only.
  'triageObjection MIIT': {
    check: (p) => may.triageObjection(p, '000000'),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, true, false, false],
  },
  // A register entry of 敦化市: its county, reviewers and operators over it.
  seeRegister: {
    check: (p) => may.seeRegister(p, application.countyCode),
    applicant: [true, false, false, false],
    reviewer: [true, true, false, false],
    operator: [true, true, false, false],
  },
  // Importing 吉林省's rows: its own operators and national ones.
  keepRegister: {
    check: (p) => may.keepRegister(p, '220000'),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [true, true, false, false],
  }, // Asking to cancel 敦化市's cluster for false information: reviewers whose jurisdiction covers it.
  requestRevocation: {
    check: (p) => may.requestRevocation(p, application),
    applicant: [false, false, false, false],
    reviewer: [true, true, false, false],
    operator: [false, false, false, false],
  },
  // Deciding a request 延边州's reviewer filed: operators over 延边州 (吉林省's, national) and MIIT.
  decideRevocation: {
    check: (p) => may.decideRevocation(p, { levelCode: '222400', requestedBy: { sub: 'someone-else' } }),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [true, true, false, false],
  },
  // A request filed at MIIT (000000): national operators only (MIIT's reviewers are not in this row's jurisdictions).
  'decideRevocation MIIT': {
    check: (p) => may.decideRevocation(p, { levelCode: '000000', requestedBy: { sub: 'someone-else' } }),
    applicant: [false, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, true, false, false],
  },
  revocationsAny: {
    check: (p) => may.revocationsAny(p),
    applicant: [false, false, false, false],
    reviewer: [true, true, true, true],
    operator: [true, true, true, true],
  },
  // 敦化市's annual report: its own county files it.
  fileAnnualReport: {
    check: (p) => may.fileAnnualReport(p, application.countyCode),
    applicant: [true, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, false, false, false],
  },
  // An upload 敦化市 made for its report: 敦化市 alone removes it (not 延吉市, not the city above it).
  removeAnnualReportFile: {
    check: (p) => may.removeAnnualReportFile(p, { countyCode: application.countyCode }),
    applicant: [true, false, false, false],
    reviewer: [false, false, false, false],
    operator: [false, false, false, false],
  },
  // 吉林省's reports: its own reviewers and operators decide and forward (not a city, not MIIT).
  reviewAnnualReports: {
    check: (p) => may.reviewAnnualReports(p, '220000'),
    applicant: [false, false, false, false],
    reviewer: [false, true, false, false],
    operator: [true, false, false, false],
  },
  // 吉林省's reports are seen by its reviewers and operators, and national ones.
  seeAnnualReports: {
    check: (p) => may.seeAnnualReports(p, '220000'),
    applicant: [false, false, false, false],
    reviewer: [false, true, false, false],
    operator: [true, true, false, false],
  },
};

describe('the authorisation matrix', () => {
  for (const [rule, row] of Object.entries(MATRIX)) {
    for (const role of ['applicant', 'reviewer', 'operator'] as const) {
      it(`${rule}: ${role} (${RELATIONS.map((r, i) => `${r} ${row[role][i] ? '✔' : '✘'}`).join(', ')})`, () => {
        expect(RELATIONS.map((relation) => row.check(principal(role, relation)))).toEqual(row[role]);
      });
    }
  }

  it('gives every declared route a rule, and names no route that does not exist', () => {
    const declared = ROUTES.map(routeKey).sort();
    expect(Object.keys(ROUTE_RULES).sort()).toEqual(declared);
    const rules = new Set(Object.values(ROUTE_RULES));
    const tested = new Set(Object.keys(MATRIX).map((name) => name.split(' ')[0]));
    for (const rule of rules)
      expect(rule === 'link' || rule === 'signed-in' || rule === 'public' || tested.has(rule), rule).toBe(true);
  });

  it('two people: nobody decides a cancellation request they filed, whatever their scope', () => {
    const national: Principal = { sub: 'operator-000000', role: 'operator', jurisdiction: '000000' };
    expect(may.decideRevocation(national, { levelCode: '222400', requestedBy: { sub: 'operator-000000' } })).toBe(
      false,
    );
    expect(may.decideRevocation(national, { levelCode: '222400', requestedBy: { sub: 'reviewer-222400' } })).toBe(true);
    // MIIT's reviewers confirm too (the issue: "an operator of that scope or MIIT confirms").
    const miitReviewer: Principal = { sub: 'reviewer-000000', role: 'reviewer', jurisdiction: '000000' };
    expect(may.decideRevocation(miitReviewer, { levelCode: '220000', requestedBy: { sub: 'reviewer-220000' } })).toBe(
      true,
    );
    // A county official never does, even of its own county.
    const county: Principal = { sub: 'applicant-222403', role: 'applicant', jurisdiction: '222403' };
    expect(may.decideRevocation(county, { levelCode: '222403', requestedBy: { sub: 'x' } })).toBe(false);
  });

  it('an operator scope is national or provincial-rank only: a city-scoped operator watches nothing', () => {
    const cityOperator: Principal = { sub: 'x', role: 'operator', jurisdiction: '222400' };
    expect(may.watch(cityOperator, '222400')).toBe(false);
    expect(may.operate(cityOperator, application)).toBe(false);
    expect(may.read(cityOperator, application)).toBe(false);
  });

  it('a planned city holds its own districts: Qingdao’s operator watches them, Shandong’s does not reach past it in its chain', () => {
    expect(liesWithin('370202', '370200')).toBe(true);
    expect(liesWithin('370202', '370000')).toBe(false);
    expect(liesWithin('370202', '000000')).toBe(true);
  });

  it('refuses with a 403 that names the rule in both languages', () => {
    const stranger = principal('reviewer', 'unrelated');
    expect(() => assertAllowed(may.decide(stranger, review), 'decide', stranger)).toThrow(
      expect.objectContaining({
        status: 403,
        code: 'FORBIDDEN',
        details: [expect.objectContaining({ field: 'authorization' })],
      }),
    );
  });
});

describe('claims', () => {
  it('reads role and jurisdiction from the custom attributes, and nothing from a token without them', () => {
    expect(principalFromClaims({ sub: 'u1', 'custom:role': 'reviewer', 'custom:jurisdiction': '222400' })).toEqual({
      sub: 'u1',
      role: 'reviewer',
      jurisdiction: '222400',
    });
    expect(principalFromClaims({ sub: 'u1', 'custom:role': 'admin', 'custom:jurisdiction': '222400' })).toBeUndefined();
    expect(
      principalFromClaims({ sub: 'u1', 'custom:role': 'reviewer', 'custom:jurisdiction': '2224' }),
    ).toBeUndefined();
    expect(principalFromClaims({ sub: 'u1' })).toBeUndefined();
    expect(principalFromClaims(undefined)).toBeUndefined();
  });
});
