import { randomUUID } from 'node:crypto';
import { ConflictError } from '../platform/errors.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import type { CurrentStage } from './payloads.ts';
import { stageJurisdiction } from './route.ts';
import { WORKFLOW_TASK_ERRORS } from './tasks.ts';

/**
 * How the review ladder's tasks change an application (infra/constructs/review-ladder.ts has the
 * graph, functions/workflow/ the handlers, stages.ts, returns.ts, public-notice.ts and closing.ts
 * the steps). Each change is one conditional write through `Records.saveApplication` with its
 * audit event, and each is idempotent: Step Functions may run a task twice, so a step that finds
 * the application already where it would put it writes nothing and emails nobody.
 */

/** Who the audit trail names for the workflow's own steps. */
export const WORKFLOW_ACTOR = 'review-workflow';

/** The application is not where this step expects it: retrying cannot help. */
export class TransitionRefusedError extends Error {
  override readonly name = WORKFLOW_TASK_ERRORS.transitionRefused;
}

/** Concurrent writers (the applicant editing a returned form, the review desk) are re-read this often. */
const MAX_WRITE_ATTEMPTS = 5;

export interface TransitionDeps {
  records: Pick<Records, 'getApplication' | 'saveApplication'>;
  clock: Clock;
  newId?: () => string;
}

export interface TransitionSpec {
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

export async function loadApplication(
  records: Pick<Records, 'getApplication'>,
  applicationId: string,
): Promise<ApplicationRecord> {
  const application = await records.getApplication(applicationId);
  if (!application) throw new TransitionRefusedError(`No application ${applicationId}`);
  return application;
}

/**
 * Reads the application and, unless the step already happened, writes its change conditionally on
 * the revision and status read. A lost race (someone else wrote in between) reads again.
 */
export async function transition(
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

/** The stage, step and round a task acted at, as its audit event records them. */
export function stageDetail(current: CurrentStage) {
  return {
    stage: current.review.stage,
    round: current.review.round,
    step: current.step.index,
    stepKind: current.step.kind,
    jurisdictionCode: current.review.jurisdictionCode,
    deadline: current.review.deadline,
  };
}
