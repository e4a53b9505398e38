/**
 * What each declared step (shared/rules/steps.ts) asks of a decision before the review desk records
 * it. A return or a rejection always states its reason (the body schema checks that); an approval
 * needs what the step's record is:
 *   review            nothing more;
 *   onsite-statement  a VALID on-site check statement (现场核查符合性说明) among the evidence;
 *   formal-check      every point checked, all passed (a failed point needs a return or rejection);
 *   expert-panel      the panel of this review closed: its aggregate and scores go with the decision;
 *   sampling          whether it was sampled (`always`: it must be), and if so the level's VALID
 *                     sampling record naming this application;
 *   meeting           the level's VALID meeting minutes;
 *   formal-letter     the level's VALID formal letter (正式推荐文件, or 正式复核意见文件).
 * Pure of HTTP and SDKs: the ports say what exists.
 */
import { ConflictError, type ErrorDetail, ValidationError } from '../platform/errors.ts';
import { ONSITE_STATEMENT_ITEM_ID } from '../rules/checklist.ts';
import { STEP_TITLES, type Step } from '../rules/steps.ts';
import type { Records } from '../ports/core.ts';
import type { LevelDocumentKind, LevelDocuments, PanelResult, PanelResults } from '../ports/steps.ts';
import type { EvidenceRecord } from '../schemas/records.ts';
import type { DecisionBody, ReviewRecord } from '../schemas/reviews.ts';

export interface StepGateDeps {
  records: Pick<Records, 'listEvidence'>;
  panels: PanelResults;
  levelDocuments: LevelDocuments;
}

/** What a step's decision records beside the decision itself. */
export interface StepRecord {
  checks?: Record<string, 'pass' | 'fail'>;
  sampling?: { sampled: boolean; note?: string };
  /** The expert panel's scores (the mean per criterion) and its aggregate. */
  scores?: Record<string, number>;
  weightedScore?: number;
}

/** The level document a step's approval needs, if any. */
export function levelDocumentFor(step: Step): LevelDocumentKind | undefined {
  switch (step.kind) {
    case 'meeting':
      return 'meeting-minutes';
    case 'formal-letter':
      return step.document === 'rereview'
        ? 'rereview-letter'
        : step.document === 'cultivation-measures'
          ? 'cultivation-measures'
          : 'formal-letter';
    case 'sampling':
      return 'sampling-record';
    default:
      return undefined;
  }
}

/** Whether the application's evidence holds a valid city on-site check statement. */
export function hasOnSiteStatement(evidence: readonly EvidenceRecord[]): boolean {
  return evidence.some((e) => e.criterion === ONSITE_STATEMENT_ITEM_ID && e.status === 'VALID');
}

const refused = (code: string, field: string, message: string) =>
  new ConflictError(code, message, [{ field, code, message }]);

const invalid = (details: ErrorDetail[]) => new ValidationError(details[0]?.message ?? 'invalid decision', details);

/** Fields that belong to another step's form are refused, naming the field. */
function refuseForeignFields(step: Step, input: DecisionBody): void {
  const foreign: ErrorDetail[] = [];
  const title = STEP_TITLES[step.kind];
  const note = (field: string) =>
    foreign.push({
      field,
      code: 'NOT_ASKED_AT_THIS_STEP',
      message: `本步骤（${title.zh}）不填写此项 / not asked at this step (${title.en})`,
    });
  if (input.checks !== undefined && step.kind !== 'formal-check') note('checks');
  if (input.sampling !== undefined && step.kind !== 'sampling') note('sampling');
  if (foreign.length > 0) throw invalid(foreign);
}

/** 形式审查: every point pass or fail; an approval needs all passed, a failure a return or rejection. */
function formalCheck(step: Extract<Step, { kind: 'formal-check' }>, input: DecisionBody): StepRecord {
  const checks = input.checks ?? {};
  const missing = step.points.filter((point) => checks[point.id] === undefined);
  const unknown = Object.keys(checks).filter((id) => !step.points.some((point) => point.id === id));
  const details: ErrorDetail[] = [
    ...missing.map((point) => ({
      field: `checks.${point.id}`,
      code: 'CHECK_REQUIRED',
      message: `请逐项核查：${point.title.zh} / check every point: ${point.title.en}`,
    })),
    ...unknown.map((id) => ({
      field: `checks.${id}`,
      code: 'UNKNOWN_CHECK',
      message: `不是本步骤的核查项 / not a point of this check`,
    })),
  ];
  // A return or a rejection may be given without going through every point.
  if (input.decision === 'approve' && details.length > 0) throw invalid(details);
  if (unknown.length > 0) throw invalid(details.filter((d) => d.code === 'UNKNOWN_CHECK'));
  const failed = step.points.filter((point) => checks[point.id] === 'fail');
  if (input.decision === 'approve' && failed.length > 0) {
    throw invalid(
      failed.map((point) => ({
        field: `checks.${point.id}`,
        code: 'CHECK_FAILED',
        message: `未通过的核查项须退回或不予推荐，并说明原因：${point.title.zh} / a failed point needs a return or a rejection with its reason`,
      })),
    );
  }
  return Object.keys(checks).length > 0 ? { checks } : {};
}

/** The per-criterion mean of the experts' revealed scores. */
function meanScores(panel: PanelResult): Record<string, number> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const score of panel.scores) {
    for (const [criterion, value] of Object.entries(score.byCriterion)) {
      const sum = sums.get(criterion) ?? { total: 0, count: 0 };
      sums.set(criterion, { total: sum.total + value, count: sum.count + 1 });
    }
  }
  return Object.fromEntries(
    [...sums].map(([criterion, { total, count }]) => [criterion, Math.round((total / count) * 100) / 100]),
  );
}

/**
 * Why an approval waits for the panel, and what the level does about it: it seats, replaces and
 * closes the panel on the console's panel page (signed in), not on the review page.
 */
function panelNotClosed(panel: PanelResult | undefined): string {
  if (!panel || panel.seated === 0)
    return '尚未选派评审专家：请登录控制台，在“专家评审”中为本申报选派专家；专家评分后结束评审，再同意 / no expert is seated yet: sign in to the console and seat experts for this application under Expert panels; once they have scored, close the panel, then approve';
  const waiting = panel.waitingFor.length;
  return waiting > 0
    ? `专家评审尚未结束：${waiting} 位专家未评分。请待其评分（或在控制台“专家评审”中替换），再结束评审并同意 / the expert panel is not closed: ${waiting} not scored yet. Wait for them (or replace them in the console, under Expert panels), then close the panel and approve`
    : '专家均已评分，但评审尚未结束：请在控制台“专家评审”中结束评审，再同意 / every expert has scored but the panel is not closed: close it in the console, under Expert panels, then approve';
}

/** 专家评审: the panel of this review must be closed before the level decides on it. */
async function expertPanel(deps: StepGateDeps, review: ReviewRecord, input: DecisionBody): Promise<StepRecord> {
  const panel = await deps.panels.resultOf(review.reviewId);
  if (!panel?.closed || panel.aggregate === undefined) {
    if (input.decision !== 'approve') return {};
    throw refused('PANEL_NOT_CLOSED', 'panel', panelNotClosed(panel));
  }
  return { scores: meanScores(panel), weightedScore: panel.aggregate };
}

/** Whether the level has a VALID document of `kind` (naming the application, for a sampling record). */
async function hasLevelDocument(deps: StepGateDeps, review: ReviewRecord, kind: LevelDocumentKind): Promise<boolean> {
  const documents = await deps.levelDocuments.valid(review.campaignId, review.track, review.jurisdictionCode, kind);
  if (kind !== 'sampling-record') return documents.length > 0;
  return documents.some((document) => document.applicationIds?.includes(review.applicationId));
}

const DOCUMENT_TITLES: Readonly<Record<LevelDocumentKind, { zh: string; en: string }>> = {
  'formal-letter': { zh: '正式推荐文件', en: 'the formal letter' },
  'rereview-letter': { zh: '正式复核意见文件', en: 'the formal re-review letter' },
  'meeting-minutes': { zh: '会议纪要', en: 'the meeting minutes' },
  'sampling-record': { zh: '实地抽查记录（须列明本申报）', en: 'the sampling record naming this application' },
  'candidate-list': { zh: '拟推荐名单', en: 'the candidate list' },
  'cultivation-measures': { zh: '本级培育举措', en: "the level's cultivation measures" },
};

function documentMissing(kind: LevelDocumentKind): ConflictError {
  const title = DOCUMENT_TITLES[kind];
  return refused(
    'LEVEL_DOCUMENT_MISSING',
    `levelDocuments.${kind}`,
    `须先上传经校验有效的${title.zh} / ${title.en} must be uploaded and validated first`,
  );
}

/** 实地抽查: whether sampled; sampled needs the record; `always` needs sampled. */
async function sampling(
  deps: StepGateDeps,
  step: Extract<Step, { kind: 'sampling' }>,
  review: ReviewRecord,
  input: DecisionBody,
): Promise<StepRecord> {
  const answer = input.sampling;
  if (input.decision !== 'approve') return answer ? { sampling: answer } : {};
  if (!answer) {
    throw invalid([
      {
        field: 'sampling.sampled',
        code: 'SAMPLING_REQUIRED',
        message: '请说明是否实地抽查 / say whether it was sampled',
      },
    ]);
  }
  if (step.when === 'always' && !answer.sampled) {
    throw invalid([
      {
        field: 'sampling.sampled',
        code: 'SAMPLING_REQUIRED',
        message: '本级须实地抽查 / this level samples every application it forwards',
      },
    ]);
  }
  if (answer.sampled && !(await hasLevelDocument(deps, review, 'sampling-record'))) {
    throw documentMissing('sampling-record');
  }
  return { sampling: answer };
}

/**
 * Checks the decision against its step and returns what the step records with it. `step` is the
 * declared config of the review's step (review 0 of a stage without steps: a review).
 */
export async function gateStep(
  deps: StepGateDeps,
  step: Step,
  review: ReviewRecord,
  input: DecisionBody,
): Promise<StepRecord> {
  refuseForeignFields(step, input);
  switch (step.kind) {
    case 'review':
    case 'public-notice':
      return {};
    case 'onsite-statement': {
      if (input.decision !== 'approve') return {};
      if (!hasOnSiteStatement(await deps.records.listEvidence(review.applicationId))) {
        throw refused(
          'ONSITE_STATEMENT_MISSING',
          `checklist.${ONSITE_STATEMENT_ITEM_ID}`,
          '同意推荐前须上传经校验有效的现场核查符合性说明 / a valid on-site check statement (现场核查符合性说明) is required before the city approves',
        );
      }
      return {};
    }
    case 'formal-check':
      return formalCheck(step, input);
    case 'expert-panel':
      return expertPanel(deps, review, input);
    case 'sampling':
      return sampling(deps, step, review, input);
    case 'meeting':
    case 'formal-letter': {
      const kind = levelDocumentFor(step);
      if (input.decision !== 'approve' || !kind) return {};
      if (!(await hasLevelDocument(deps, review, kind))) throw documentMissing(kind);
      return {};
    }
  }
}
