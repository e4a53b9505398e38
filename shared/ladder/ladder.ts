import { randomUUID } from 'node:crypto';
import { type Campaign, type EffectiveRules, effectiveRules } from '../rules/campaign.ts';
import { MIIT_CODE } from '../rules/jurisdictions.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import type { StageName } from './contract.ts';
import {
  type AwaitResubmissionPayload,
  type CheckObjectionsPayload,
  type CloseApplicationPayload,
  type CurrentStage,
  type EnterStagePayload,
  type ExecutionInput,
  FailureCauseSchema,
  type LadderOutcome,
  type LadderStart,
  type MarkReturnedPayload,
  type NoticeWindow,
  type ObjectionCheck,
  type RecognizePayload,
  type Returned,
  type Route,
  RouteSchema,
  type StartPublicNoticePayload,
  type TaskFailure,
} from './payloads.ts';
import type { Quotas } from '../ports/quotas.ts';
import { WORKFLOW_TASK_ERRORS } from './tasks.ts';
import { ConflictError } from '../platform/errors.ts';
import {
  type ApplicantNoticeKind,
  applicantEmail,
  beijingTime,
  contactEmailOf,
  STAGE_LABELS,
} from './mail.ts';
import type { Clock, Mailer, ObjectionLog, Records } from '../ports/core.ts';
import { retryWrite } from '../platform/retry-write.ts';
import { quotaRequestFor } from './quota-request.ts';

/**
 * The review ladder's domain: the route an application climbs, and every status change the state
 * machine's tasks make (infra/constructs/review-ladder.ts has the graph, functions/workflow/ the
 * handlers). Each change is one conditional write through `Records.saveApplication` with its
 * audit event, and each is idempotent: Step Functions may run a task twice, so a step that finds
 * the application already where it would put it writes nothing and emails nobody.
 */

// ---- Rules as data ---------------------------------------------------------------------------

/** The status an application has while a stage reviews it. */
export const STAGE_STATUS: Readonly<Record<StageName, ApplicationStatus>> = {
  city: 'CITY_REVIEW',
  province: 'PROVINCE_REVIEW',
  miit: 'MIIT_REVIEW',
};

/**
 * Stages that forward their approvals as one list at their deadline: the province sends its
 * recommendation list to MIIT by the province deadline (15 July in 2025), and until then may still
 * withdraw or swap within its quota. Cities forward as they approve.
 */
export const FORWARDS_AS_BATCH: Readonly<Record<StageName, boolean>> = {
  city: false,
  province: true,
  miit: false,
};

/** MIIT's deadline when the campaign sets none: the end of the campaign year, Beijing time. */
export function miitDeadline(campaign: Campaign): string {
  return campaign.calendar.miit ?? `${campaign.year}-12-31T23:59:59+08:00`;
}

/** Step Functions refuses task timeouts above this many seconds. */
const MAX_TASK_TIMEOUT_SECONDS = 99_999_999;

/** Whole seconds from `now` to `deadline`, at least 1: a task timeout (TimeoutSecondsPath). */
export function secondsUntil(deadline: string, now: Date): number {
  const seconds = Math.ceil((Date.parse(deadline) - now.getTime()) / 1000);
  return Math.min(MAX_TASK_TIMEOUT_SECONDS, Math.max(1, seconds));
}

const DAY_MS = 86_400_000;

function addYears(date: Date, years: number): Date {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

/** Whether approving at the province takes quota slots (a track without quotas: typical cases). */
function takesQuota(rules: EffectiveRules): boolean {
  const { quota } = rules;
  return quota.provincial.limit !== null || quota.city !== undefined || quota.perSubSector !== undefined;
}

/**
 * The stages this application climbs, from the jurisdiction tree (a municipality's district has
 * no city stage; a planned city holds the province stage) and the campaign's calendar with the
 * province's overlay. A later stage never closes before an earlier one.
 */
export function computeRoute(application: ApplicationRecord, campaign: Campaign): Route {
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const usesQuota = takesQuota(rules);
  const onSiteStatement = campaign.tracks[application.track]?.cityRequiresOnSiteStatement ?? false;
  let earliest = campaign.opensAt;
  const stages = rules.stages.map((stage, index) => {
    const own =
      stage.stage === 'miit' ? miitDeadline(campaign) : (rules.deadlines[stage.stage] ?? campaign.calendar.province);
    const deadline = Date.parse(own) < Date.parse(earliest) ? earliest : own;
    earliest = deadline;
    const isLast = index === rules.stages.length - 1;
    return {
      stage: stage.stage,
      jurisdictionCode: stage.jurisdictionCode,
      jurisdictionName: stage.name,
      deadline,
      ...(FORWARDS_AS_BATCH[stage.stage] && !isLast && { forwardAt: deadline }),
      // What the review desk asks of an approval at this stage (it enforces them).
      requirements: {
        onSiteStatement: stage.stage === 'city' && onSiteStatement,
        expertScores: stage.stage === 'province',
        quotaReservation: stage.stage === 'province' && usesQuota,
      },
    };
  });
  return RouteSchema.parse({
    campaignId: campaign.campaignId,
    track: application.track,
    stages,
    noticeDays: campaign.calendar.noticeDays,
    validityYears: campaign.calendar.validityYears,
  });
}

// ---- Transitions -----------------------------------------------------------------------------

/** The jurisdiction that acts at the application's current stage (city, provincial rank, MIIT). */
export function stageJurisdiction(application: Pick<ApplicationRecord, 'stage' | 'cityCode' | 'provincialCode'>): string {
  if (application.stage === 'miit') return MIIT_CODE;
  if (application.stage === 'city' && application.cityCode) return application.cityCode;
  return application.provincialCode;
}

/** Who the audit trail names for the workflow's own steps. */
export const WORKFLOW_ACTOR = 'review-workflow';

/** The application is not where this step expects it: retrying cannot help. */
export class TransitionRefusedError extends Error {
  override readonly name = WORKFLOW_TASK_ERRORS.transitionRefused;
}

/** Statuses from which a terminal outcome may close the application. */
const OPEN_STATUSES: readonly ApplicationStatus[] = [
  'SUBMITTED',
  'CITY_REVIEW',
  'PROVINCE_REVIEW',
  'MIIT_REVIEW',
  'PUBLIC_NOTICE',
  'RETURNED',
];

/** Concurrent writers (the applicant editing a returned form, the review desk) are re-read this often. */
const MAX_WRITE_ATTEMPTS = 5;

export interface TransitionDeps {
  records: Records;
  clock: Clock;
  newId?: () => string;
}

export interface NotifyingDeps extends TransitionDeps {
  mailer: Mailer;
}

interface TransitionSpec {
  /** True when this step already happened (a retried task): nothing is written. */
  done(application: ApplicationRecord): boolean;
  /** Statuses the step starts from; anything else is refused. */
  from: readonly ApplicationStatus[];
  /** A further precondition: returns why the step is refused, if it is. */
  refuse?(application: ApplicationRecord): string | undefined;
  /** The fields the step changes (revision and updatedAt are set here). */
  change(application: ApplicationRecord): Partial<ApplicationRecord>;
  action: AuditEvent['action'];
  audit?(before: ApplicationRecord, after: ApplicationRecord): Pick<AuditEvent, 'reason' | 'detail'>;
}

async function loadApplication(records: Records, applicationId: string): Promise<ApplicationRecord> {
  const application = await records.getApplication(applicationId);
  if (!application) throw new TransitionRefusedError(`No application ${applicationId}`);
  return application;
}

/**
 * Reads the application and, unless the step already happened, writes its change conditionally on
 * the revision and status read. A lost race (someone else wrote in between) reads again.
 */
async function transition(
  deps: TransitionDeps,
  applicationId: string,
  spec: TransitionSpec,
): Promise<{ application: ApplicationRecord; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadApplication(deps.records, applicationId);
    if (spec.done(current)) return { application: current, changed: false };
    const refusal = spec.from.includes(current.status)
      ? spec.refuse?.(current)
      : `the application is ${current.status}, not ${spec.from.join(' or ')}`;
    if (refusal) throw new TransitionRefusedError(`${spec.action} refused for ${applicationId}: ${refusal}`);

    const now = deps.clock().toISOString();
    const next: ApplicationRecord = {
      ...current,
      ...spec.change(current),
      revision: current.revision + 1,
      updatedAt: now,
    };
    const audit: AuditEvent = {
      applicationId,
      eventId: (deps.newId ?? randomUUID)(),
      at: now,
      action: spec.action,
      actor: WORKFLOW_ACTOR,
      role: 'workflow',
      ...(next.stage && { jurisdiction: stageJurisdiction(next) }),
      ...(next.status !== current.status && { fromStatus: current.status, toStatus: next.status }),
      ...spec.audit?.(current, next),
    };
    try {
      await deps.records.saveApplication(next, current, audit);
      return { application: next, changed: true };
    } catch (error) {
      const lostRace = error instanceof ConflictError && error.code === 'CONCURRENT_CHANGE';
      if (!lostRace || attempt >= MAX_WRITE_ATTEMPTS) throw error;
    }
  }
}

interface NoticeDetails {
  current: CurrentStage;
  reason?: string;
}

/**
 * How long the notice of a change stays with the invocation that made it. A task that finds the
 * change made and its notice not yet recorded is a duplicate (Step Functions and Lambda may run a
 * task twice, even at the same moment) while the change is younger than this: it fails with
 * NoticePending, and the state machine's Retry brings it back later. Older, the invocation that
 * made the change is taken to have failed before its email went out, and the retry sends it.
 */
export const NOTICE_TAKEOVER_MS = 30_000;

/** Another invocation of this task is sending the applicant's notice: retried by the state machine. */
export class NoticePendingError extends Error {
  override readonly name = 'NoticePending';
}

/**
 * Emails the applicant about the application's current status, once: the notice is keyed by
 * status, stage and round and recorded on the application after the email went out (that record
 * is retried in place, so a throttled write does not send the email again). The invocation whose
 * write made the change (`changed`) sends it; see NOTICE_TAKEOVER_MS for the others. Only a crash
 * between the email and its record sends it twice (a duplicate beats a lost notice).
 */
async function notifyApplicant(
  deps: NotifyingDeps,
  application: ApplicationRecord,
  kind: ApplicantNoticeKind,
  details: NoticeDetails,
  changed: boolean,
): Promise<void> {
  const { stage, round } = details.current.review;
  const key = `${application.status}#${application.stage ?? stage}#${application.round ?? round}`;
  if (application.lastApplicantNotice === key) return;
  if (!changed && deps.clock().getTime() - Date.parse(application.updatedAt) < NOTICE_TAKEOVER_MS) {
    throw new NoticePendingError(
      `the ${key} notice of ${application.applicationId} is another invocation's to send; retry later`,
    );
  }
  const to = contactEmailOf(application);
  const sent = to
    ? await deps.mailer.send(
        applicantEmail(
          {
            kind,
            application,
            stage: details.current.review.stage,
            jurisdictionName: details.current.jurisdictionName,
            deadline: details.current.review.deadline,
            reason: details.reason,
            noticeEndsAt: application.noticeEndsAt,
            validUntil: application.validUntil,
          },
          to,
        ),
      )
    : undefined;
  try {
    await retryWrite(
      () =>
        transition(deps, application.applicationId, {
          done: (a) => a.lastApplicantNotice === key,
          from: [application.status],
          change: () => ({ lastApplicantNotice: key }),
          action: 'APPLICANT_NOTIFIED',
          audit: () => ({
            detail: sent
              ? { notice: key, messageId: sent.messageId }
              : { notice: key, skipped: 'the form gives no contact email' },
          }),
        }),
      { isFinal: (error) => error instanceof TransitionRefusedError },
    );
  } catch (error) {
    // The email went out; the application moved on before it could be noted. Nothing to undo.
    if (!(error instanceof TransitionRefusedError)) throw error;
  }
}

function stageDetail(current: CurrentStage) {
  return {
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
    deadline: current.review.deadline,
  };
}

// ---- The tasks -------------------------------------------------------------------------------

export interface RouteDeps {
  records: Records;
  campaigns: { get(campaignId: string): Promise<Campaign> };
}

/** PrepareRoute: reads only; the route becomes the execution's state. */
export async function prepareRoute(deps: RouteDeps, input: ExecutionInput): Promise<LadderStart> {
  const application = await loadApplication(deps.records, input.applicationId);
  const campaign = await deps.campaigns.get(application.campaignId);
  return {
    applicationId: input.applicationId,
    revision: input.revision,
    route: computeRoute(application, campaign),
    next: { index: 0, round: 1 },
  };
}

/** EnterStage: the application is now under review at the stage `next` names. */
export async function enterStage(deps: TransitionDeps, payload: EnterStagePayload): Promise<CurrentStage> {
  const { route, next } = payload;
  const stage = route.stages[next.index];
  if (!stage) throw new TransitionRefusedError(`The route has no stage ${next.index}`);
  const previous = route.stages[next.index - 1];
  const status = STAGE_STATUS[stage.stage];
  // Round 1 follows submission or the previous stage's approval; later rounds follow a
  // resubmission (SUBMITTED again) or an objection during the public notice.
  const from: ApplicationStatus[] =
    next.round > 1 ? ['SUBMITTED', 'PUBLIC_NOTICE'] : previous ? [STAGE_STATUS[previous.stage]] : ['SUBMITTED'];

  const { application } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === status && a.stage === stage.stage && a.round === next.round,
    from,
    change: () => ({
      status,
      stage: stage.stage,
      round: next.round,
      dueAt: stage.deadline,
      executionArn: payload.executionArn,
      resubmissionToken: undefined,
      decisionReason: undefined,
    }),
    action: 'STAGE_ENTERED',
    audit: () => ({
      detail: {
        stage: stage.stage,
        round: next.round,
        jurisdictionCode: stage.jurisdictionCode,
        deadline: stage.deadline,
      },
    }),
  });

  return {
    index: next.index,
    isLast: next.index === route.stages.length - 1,
    jurisdictionName: stage.jurisdictionName,
    timeoutSeconds: secondsUntil(stage.deadline, deps.clock()),
    ...(stage.forwardAt && { forwardAt: stage.forwardAt }),
    requirements: stage.requirements,
    review: {
      applicationId: payload.applicationId,
      revision: application.revision,
      stage: stage.stage,
      jurisdictionCode: stage.jurisdictionCode,
      deadline: stage.deadline,
      round: next.round,
    },
  };
}

const atStage = (current: CurrentStage) => (a: ApplicationRecord) =>
  a.stage === current.review.stage && a.round === current.review.round;

/** MarkReturned: RETURNED with the reason; the applicant may resubmit until the stage deadline. */
export async function markReturned(deps: NotifyingDeps, payload: MarkReturnedPayload): Promise<Returned> {
  const { current, decision } = payload;
  const { deadline } = current.review;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === 'RETURNED' && atStage(current)(a),
    from: [STAGE_STATUS[current.review.stage]],
    refuse: (a) => (atStage(current)(a) ? undefined : `it is at ${a.stage} round ${a.round}`),
    change: () => ({ status: 'RETURNED', decisionReason: decision.reason, dueAt: deadline }),
    action: 'RETURNED',
    audit: () => ({
      reason: decision.reason,
      detail: { ...stageDetail(current), reviewId: decision.reviewId, decidedBy: decision.decidedBy },
    }),
  });
  await notifyApplicant(deps, application, 'RETURNED', { current, reason: decision.reason }, changed);
  return { dueAt: deadline, timeoutSeconds: secondsUntil(deadline, deps.clock()) };
}

/**
 * AwaitResubmission: stores the task token that a resubmission completes. A retried task comes
 * with a new token, which replaces the old one.
 */
export async function awaitResubmission(deps: TransitionDeps, payload: AwaitResubmissionPayload): Promise<void> {
  const { current, taskToken } = payload;
  await transition(deps, payload.applicationId, {
    done: (a) => a.resubmissionToken === taskToken,
    from: ['RETURNED'],
    refuse: (a) => (atStage(current)(a) ? undefined : `it was returned at ${a.stage} round ${a.round}`),
    change: () => ({ resubmissionToken: taskToken }),
    action: 'RESUBMISSION_AWAITED',
    // Never the token itself: the audit trail is shown to the applicant.
    audit: () => ({ detail: stageDetail(current) }),
  });
}

export interface CloseDeps extends NotifyingDeps {
  quotas: Pick<Quotas, 'release'>;
  campaigns: { get(campaignId: string): Promise<Campaign> };
}

function failureReason(failure: TaskFailure): string | undefined {
  return parseFailureCause(failure)?.reason;
}

/** The `{ reason, by }` the review desk puts in a failure's cause (or plain text: the reason). */
function parseFailureCause(failure: TaskFailure): { reason?: string; by?: string } | undefined {
  if (!failure.Cause) return undefined;
  try {
    const parsed = FailureCauseSchema.safeParse(JSON.parse(failure.Cause));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: the cause is the reason as plain text.
  }
  const reason = failure.Cause.trim();
  return reason ? { reason } : undefined;
}

/** 逾期不予受理, naming the stage, its deadline and who let it pass. */
function overdueReason(current: CurrentStage, applicantWasLate: boolean): string {
  const stage = STAGE_LABELS[current.review.stage];
  const deadline = beijingTime(current.review.deadline);
  return applicantWasLate
    ? `逾期不予受理：${current.jurisdictionName}${stage.zh}截止时间 ${deadline}（北京时间）前未重新提交 / Not accepted: not resubmitted before the ${stage.en} deadline (${current.jurisdictionName}), ${deadline} Beijing time`
    : `逾期不予受理：${current.jurisdictionName}${stage.zh}未在截止时间 ${deadline}（北京时间）前完成 / Not accepted: the ${stage.en} (${current.jurisdictionName}) did not decide before its deadline, ${deadline} Beijing time`;
}

/**
 * MarkRejected, MarkOverdue, MarkCancelled, MarkWithdrawn: the application leaves the ladder,
 * its quota slots are freed (idempotently, so also on a replay), and the applicant is told why.
 */
export async function closeApplication(deps: CloseDeps, payload: CloseApplicationPayload): Promise<LadderOutcome> {
  const { current, outcome } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === outcome,
    from: OPEN_STATUSES,
    change: (a) => {
      const reason =
        payload.outcome === 'REJECTED'
          ? payload.decision.reason
          : payload.outcome === 'OVERDUE'
            ? // A returned application waited for its applicant; any other, for its reviewers.
              overdueReason(current, a.status === 'RETURNED')
            : failureReason(payload.failure);
      return { status: outcome, decisionReason: reason, resubmissionToken: undefined };
    },
    action: outcome,
    audit: (_before, after) => ({
      reason: after.decisionReason,
      detail: {
        ...stageDetail(current),
        ...(payload.outcome === 'REJECTED' && {
          reviewId: payload.decision.reviewId,
          decidedBy: payload.decision.decidedBy,
        }),
        ...(payload.outcome !== 'REJECTED' && { error: payload.failure.Error }),
        // Who asked for a withdrawal or cancellation: the workflow only carries it out.
        ...(payload.outcome !== 'REJECTED' &&
          parseFailureCause(payload.failure)?.by !== undefined && { requestedBy: parseFailureCause(payload.failure)?.by }),
      },
    }),
  });

  // The notice first: it is this invocation's to send when it made the change, and a failure in
  // between would leave it owed to nobody for NOTICE_TAKEOVER_MS.
  await notifyApplicant(deps, application, outcome, { current, reason: application.decisionReason }, changed);

  // The same request the review desk reserved with at the province's approval; releasing
  // slots never held changes nothing (a retry after a failure here releases them).
  const campaign = await deps.campaigns.get(application.campaignId);
  const { released } = await deps.quotas.release(quotaRequestFor(application, campaign));
  return {
    applicationId: application.applicationId,
    status: outcome,
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
    ...(application.decisionReason !== undefined && { reason: application.decisionReason }),
    quotaReleased: released,
  };
}

/** StartPublicNotice: MIIT approved; objections are taken for the campaign's notice days. */
export async function startPublicNotice(
  deps: NotifyingDeps,
  payload: StartPublicNoticePayload,
): Promise<NoticeWindow> {
  const { current } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) =>
      a.status === 'PUBLIC_NOTICE' && a.round === current.review.round && a.noticeEndsAt !== undefined,
    from: ['MIIT_REVIEW'],
    change: () => {
      const now = deps.clock();
      const endsAt = new Date(now.getTime() + payload.noticeDays * DAY_MS).toISOString();
      return { status: 'PUBLIC_NOTICE', noticeStartedAt: now.toISOString(), noticeEndsAt: endsAt, dueAt: endsAt };
    },
    action: 'PUBLIC_NOTICE_STARTED',
    audit: (_before, after) => ({ detail: { round: current.review.round, noticeEndsAt: after.noticeEndsAt } }),
  });
  await notifyApplicant(deps, application, 'PUBLIC_NOTICE', { current }, changed);
  const { noticeStartedAt, noticeEndsAt } = application;
  if (!noticeStartedAt || !noticeEndsAt) throw new TransitionRefusedError('The public notice has no window');
  return { startedAt: noticeStartedAt, endsAt: noticeEndsAt };
}

/**
 * CheckObjections (reads only): objections filed during this notice and not resolved. Earlier
 * notices' objections were MIIT's to weigh in the review round they caused.
 */
export async function checkObjections(
  deps: { objections: ObjectionLog },
  payload: CheckObjectionsPayload,
): Promise<ObjectionCheck> {
  const from = Date.parse(payload.notice.startedAt);
  const to = Date.parse(payload.notice.endsAt);
  const objections = await deps.objections.listObjections(payload.applicationId);
  const unresolved = objections.filter((objection) => {
    const filedAt = Date.parse(objection.filedAt);
    return !objection.resolved && filedAt >= from && filedAt <= to;
  });
  return { unresolved: unresolved.length };
}

/** Recognize: RECOGNIZED (a re-review: retained), valid for the campaign's validity years. */
export async function recognize(deps: NotifyingDeps, payload: RecognizePayload): Promise<LadderOutcome> {
  const { current } = payload;
  const { application, changed } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === 'RECOGNIZED',
    from: ['PUBLIC_NOTICE'],
    change: () => {
      const now = deps.clock();
      return {
        status: 'RECOGNIZED',
        recognizedAt: now.toISOString(),
        validUntil: addYears(now, payload.validityYears).toISOString(),
      };
    },
    action: 'RECOGNIZED',
    audit: (before, after) => ({
      detail: {
        validUntil: after.validUntil,
        ...(before.track === 'rereview' && { rereview: 'retained' }),
      },
    }),
  });
  await notifyApplicant(deps, application, 'RECOGNIZED', { current }, changed);
  return {
    applicationId: application.applicationId,
    status: 'RECOGNIZED',
    stage: current.review.stage,
    round: current.review.round,
    jurisdictionCode: current.review.jurisdictionCode,
    ...(application.validUntil && { validUntil: application.validUntil }),
  };
}
