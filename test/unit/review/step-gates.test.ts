import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../shared/platform/errors.ts';
import type { LevelDocumentKind, LevelDocumentRef, PanelResult } from '../../../shared/ports/steps.ts';
import { gateStep, levelDocumentFor, type StepGateDeps } from '../../../shared/review/step-gates.ts';
import { DEFAULT_FORMAL_CHECK, type Step, StepSchema, type StepInput } from '../../../shared/rules/steps.ts';
import type { EvidenceRecord } from '../../../shared/schemas/records.ts';
import { type DecisionBody, DecisionBodySchema, type ReviewRecord } from '../../../shared/schemas/reviews.ts';
import { APP_ID, sampleEvidence } from '../support.ts';

/** Each declared step's gate on a decision, over fake ports (what exists is what the fakes hold). */

const REVIEW = {
  reviewId: `${APP_ID}.province.5.1.2`,
  applicationId: APP_ID,
  campaignId: 'demo-2026-recommendation',
  track: 'recommendation',
  jurisdictionCode: '140000',
} as ReviewRecord;

interface World {
  evidence?: EvidenceRecord[];
  panel?: PanelResult;
  documents?: Partial<Record<LevelDocumentKind, Partial<LevelDocumentRef>[]>>;
}

function deps(world: World = {}): StepGateDeps & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    records: { listEvidence: async () => world.evidence ?? [] },
    panels: {
      resultOf: async (reviewId) => {
        asked.push(`panel ${reviewId}`);
        return world.panel;
      },
    },
    levelDocuments: {
      valid: async (campaignId, track, jurisdictionCode, kind) => {
        asked.push(`${kind} ${campaignId} ${track} ${jurisdictionCode}`);
        return (world.documents?.[kind] ?? []) as LevelDocumentRef[];
      },
    },
  };
}

const step = (input: StepInput): Step => StepSchema.parse(input);
const body = (input: Record<string, unknown>): DecisionBody => DecisionBodySchema.parse(input);
const approve = (extra: Record<string, unknown> = {}) => body({ decision: 'approve', ...extra });
const returned = (extra: Record<string, unknown> = {}) => body({ decision: 'return', reason: '请补充材料', ...extra });

/** The error a gate throws: its class, status code and the fields its details name. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError) && !(error instanceof ConflictError))
    throw new Error(`no refusal: ${String(error)}`);
  return { status: error.status, code: error.details?.[0]?.code, fields: error.details?.map((d) => d.field) };
}

describe('review', () => {
  it('asks nothing more than the decision (a return its reason, which the body schema checks)', async () => {
    expect(await gateStep(deps(), step({ kind: 'review' }), REVIEW, approve())).toEqual({});
    expect(DecisionBodySchema.safeParse({ decision: 'return' }).success).toBe(false);
  });

  it('refuses another step’s fields, naming them', async () => {
    const error = await refusal(gateStep(deps(), step({ kind: 'review' }), REVIEW, approve({ checks: {} })));
    expect(error).toMatchObject({ status: 400, code: 'NOT_ASKED_AT_THIS_STEP', fields: ['checks'] });
  });
});

describe('onsite-statement', () => {
  const statement = step({ kind: 'onsite-statement' });

  it('approves only with a VALID on-site check statement (409 naming the item)', async () => {
    const pending = sampleEvidence({ criterion: 'onsite-check-statement', status: 'INVALID' });
    expect(await refusal(gateStep(deps({ evidence: [pending] }), statement, REVIEW, approve()))).toMatchObject({
      status: 409,
      code: 'ONSITE_STATEMENT_MISSING',
      fields: ['checklist.onsite-check-statement'],
    });
    const valid = sampleEvidence({ criterion: 'onsite-check-statement', status: 'VALID' });
    expect(await gateStep(deps({ evidence: [valid] }), statement, REVIEW, approve())).toEqual({});
  });

  it('returns without one', async () => {
    expect(await gateStep(deps(), statement, REVIEW, returned())).toEqual({});
  });
});

describe('formal-check', () => {
  const check = step({ kind: 'formal-check' });
  const allPass = Object.fromEntries(DEFAULT_FORMAL_CHECK.map((point) => [point.id, 'pass']));

  it('approves with every point passed, and records the points', async () => {
    expect(await gateStep(deps(), check, REVIEW, approve({ checks: allPass }))).toEqual({ checks: allPass });
  });

  it('needs every point to approve (400 naming each missing one)', async () => {
    const { 'form-stamped': _left, ...partial } = allPass;
    expect(await refusal(gateStep(deps(), check, REVIEW, approve({ checks: partial })))).toMatchObject({
      status: 400,
      code: 'CHECK_REQUIRED',
      fields: ['checks.form-stamped'],
    });
  });

  it('refuses to approve over a failed point; a failed point returns with its reason', async () => {
    const failed = { ...allPass, 'evidence-complete': 'fail' };
    expect(await refusal(gateStep(deps(), check, REVIEW, approve({ checks: failed })))).toMatchObject({
      status: 400,
      code: 'CHECK_FAILED',
      fields: ['checks.evidence-complete'],
    });
    expect(await gateStep(deps(), check, REVIEW, returned({ checks: failed }))).toEqual({ checks: failed });
  });

  it('refuses a point the step does not check, and values other than pass or fail', async () => {
    expect(
      await refusal(gateStep(deps(), check, REVIEW, returned({ checks: { ...allPass, 'made-up': 'pass' } }))),
    ).toMatchObject({ status: 400, code: 'UNKNOWN_CHECK', fields: ['checks.made-up'] });
    expect(DecisionBodySchema.safeParse({ decision: 'approve', checks: { 'form-complete': 'ok' } }).success).toBe(
      false,
    );
  });

  it('checks the points the step declares, not the default ones', async () => {
    const own = step({
      kind: 'formal-check',
      points: [{ id: 'shanxi-form', title: { zh: '山西省申报表', en: 'Shanxi form' } }],
    });
    expect(await gateStep(deps(), own, REVIEW, approve({ checks: { 'shanxi-form': 'pass' } }))).toEqual({
      checks: { 'shanxi-form': 'pass' },
    });
    expect(await refusal(gateStep(deps(), own, REVIEW, approve({ checks: allPass })))).toMatchObject({ status: 400 });
  });
});

describe('expert-panel', () => {
  const panelStep = step({ kind: 'expert-panel' });
  const scores = (expert: string, value: number) => ({
    expert,
    byCriterion: { 'core-competitiveness': value, 'green-development': value - 10 },
    total: value,
    scoredAt: '2026-03-10T00:00:00.000Z',
  });
  const closed: PanelResult = {
    closed: true,
    method: 'mean',
    aggregate: 80,
    scores: [scores('a@example.gov.cn', 70), scores('b@example.gov.cn', 80), scores('c@example.gov.cn', 90)],
    seated: 3,
    recused: 1,
    waitingFor: [],
  };

  it('approves once the panel of this review is closed, carrying the aggregate and the mean scores', async () => {
    const world = deps({ panel: closed });
    expect(await gateStep(world, panelStep, REVIEW, approve())).toEqual({
      weightedScore: 80,
      scores: { 'core-competitiveness': 80, 'green-development': 70 },
    });
    expect(world.asked).toEqual([`panel ${REVIEW.reviewId}`]);
  });

  it('refuses while experts are still scoring, or when no panel was assigned (409)', async () => {
    const open: PanelResult = {
      ...closed,
      closed: false,
      aggregate: undefined,
      scores: [],
      waitingFor: ['c@example.gov.cn'],
    };
    expect(await refusal(gateStep(deps({ panel: open }), panelStep, REVIEW, approve()))).toMatchObject({
      status: 409,
      code: 'PANEL_NOT_CLOSED',
      fields: ['panel'],
    });
    expect(await refusal(gateStep(deps(), panelStep, REVIEW, approve()))).toMatchObject({ code: 'PANEL_NOT_CLOSED' });
  });

  it('says what the level does next, and where: seat experts, wait or replace, close (the walk read only "no panel assigned")', async () => {
    const message = async (panel?: PanelResult) => {
      const error = await gateStep(deps(panel && { panel }), panelStep, REVIEW, approve()).catch((e: unknown) => e);
      return (error as ConflictError).details?.[0]?.message ?? '';
    };
    const open: PanelResult = { ...closed, closed: false, aggregate: undefined, scores: [] };
    expect(await message()).toMatch(/^尚未选派评审专家：请登录控制台，在“专家评审”中为本申报选派专家/);
    expect(await message({ ...open, waitingFor: ['c@example.gov.cn'] })).toMatch(
      /^专家评审尚未结束：1 位专家未评分。请待其评分（或在控制台“专家评审”中替换）/,
    );
    expect(await message({ ...open, waitingFor: [] })).toMatch(
      /^专家均已评分，但评审尚未结束：请在控制台“专家评审”中结束评审/,
    );
  });

  it('returns without a closed panel, and never takes scores from the level reviewer', async () => {
    expect(await gateStep(deps(), panelStep, REVIEW, returned())).toEqual({});
  });
});

describe('sampling', () => {
  const always = step({ kind: 'sampling' });
  const whenNecessary = step({ kind: 'sampling', when: 'when-necessary' });
  const record = (applicationIds: string[]) => ({ 'sampling-record': [{ applicationIds }] });

  it('always: needs sampled, and the level’s VALID sampling record naming this application', async () => {
    expect(await refusal(gateStep(deps(), always, REVIEW, approve()))).toMatchObject({
      status: 400,
      fields: ['sampling.sampled'],
    });
    expect(await refusal(gateStep(deps(), always, REVIEW, approve({ sampling: { sampled: false } })))).toMatchObject({
      status: 400,
      code: 'SAMPLING_REQUIRED',
    });
    const other = deps({ documents: record(['11111111-1111-4111-8111-111111111111']) });
    expect(await refusal(gateStep(other, always, REVIEW, approve({ sampling: { sampled: true } })))).toMatchObject({
      status: 409,
      code: 'LEVEL_DOCUMENT_MISSING',
      fields: ['levelDocuments.sampling-record'],
    });
    const named = deps({ documents: record([APP_ID]) });
    expect(await gateStep(named, always, REVIEW, approve({ sampling: { sampled: true, note: '现场查看' } }))).toEqual({
      sampling: { sampled: true, note: '现场查看' },
    });
    expect(named.asked).toEqual(['sampling-record demo-2026-recommendation recommendation 140000']);
  });

  it('when necessary: not sampled is an answer, and needs no record', async () => {
    expect(await gateStep(deps(), whenNecessary, REVIEW, approve({ sampling: { sampled: false } }))).toEqual({
      sampling: { sampled: false },
    });
  });
});

describe('meeting and formal letter: the level’s own documents', () => {
  it.each([
    [{ kind: 'meeting' }, 'meeting-minutes'],
    [{ kind: 'formal-letter' }, 'formal-letter'],
    [{ kind: 'formal-letter', document: 'rereview' }, 'rereview-letter'],
  ] as const)('%o approves only with a VALID %s of the level', async (input, kind) => {
    const declared = step(input);
    expect(levelDocumentFor(declared)).toBe(kind);
    expect(await refusal(gateStep(deps(), declared, REVIEW, approve()))).toMatchObject({
      status: 409,
      code: 'LEVEL_DOCUMENT_MISSING',
      fields: [`levelDocuments.${kind}`],
    });
    const filed = deps({ documents: { [kind]: [{ documentId: 'd1' }] } });
    expect(await gateStep(filed, declared, REVIEW, approve())).toEqual({});
    expect(filed.asked).toEqual([`${kind} demo-2026-recommendation recommendation 140000`]);
    expect(await gateStep(deps(), declared, REVIEW, returned())).toEqual({});
  });

  it('a letter of another kind does not do (the re-review asks for its 正式复核意见文件)', async () => {
    const rereview = step({ kind: 'formal-letter', document: 'rereview' });
    const wrong = deps({ documents: { 'formal-letter': [{ documentId: 'd1' }] } });
    expect(await refusal(gateStep(wrong, rereview, REVIEW, approve()))).toMatchObject({
      code: 'LEVEL_DOCUMENT_MISSING',
    });
  });
});
