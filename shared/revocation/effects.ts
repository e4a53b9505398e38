/**
 * What a confirmed request does. In flight, the application is cancelled exactly as an operator's
 * cancellation does it (shared/review/endings.ts: the pending task fails, the execution stops, the
 * quota slot is freed). After recognition, the register entry is revoked through moveEntry (the
 * one way an entry changes state: a history line with the reason and who confirmed it), the
 * application (if the pipeline recognised it) is CANCELLED with its audit event, and the county is
 * emailed. Every part is idempotent, so a confirmation retried after a failure finishes the work.
 */
import { personActor } from '../intake/audit.ts';
import type { Caller } from '../platform/auth/principal.ts';
import { ConflictError } from '../platform/errors.ts';
import type { Mailer, Records } from '../ports/core.ts';
import type { RegisterStore } from '../ports/register.ts';
import { contactEmailOf } from '../ladder/mail.ts';
import { moveEntry } from '../register/changes.ts';
import { cancelConfirmed, type EndDeps } from '../review/endings.ts';
import { ENDED_STATUSES } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { revokedEmail } from './mail.ts';
import type { RevocationEffect, RevocationRequest } from './request.ts';

/** The statuses of a recognised application: its register entry is what a confirmation revokes. */
export const RECOGNISED_STATUSES: ReadonlySet<ApplicationRecord['status']> = new Set([
  'RECOGNIZED',
  'PROVINCIALLY_RECOGNIZED',
]);

export interface EffectDeps {
  end: EndDeps;
  records: Pick<Records, 'getApplication' | 'saveApplication'>;
  register: Pick<RegisterStore, 'get' | 'replace'>;
  mailer: Mailer;
  clock: () => Date;
  newId: () => string;
}

/** Who the register's history names: `<role>:<sub>`. */
export const actorKey = (caller: Caller) => `${caller.principal.role}:${caller.principal.sub}`;

/** The reason the application and the register carry: what was found, the request, and the two people. */
export function effectReason(request: RevocationRequest, caller: Caller): string {
  const asker = `${request.requestedBy.role}:${request.requestedBy.sub}`;
  return `虚假信息，一经查实取消资格 / false information: ${request.reason} (request ${request.requestId}; requested by ${asker}, confirmed by ${actorKey(caller)})`;
}

/** Applies a confirmed request (`request.state` is confirmed); what it did. */
export async function applyConfirmed(
  deps: EffectDeps,
  request: RevocationRequest,
  caller: Caller,
): Promise<RevocationEffect> {
  const reason = effectReason(request, caller);
  let application = request.applicationId ? await deps.records.getApplication(request.applicationId) : undefined;

  // In flight: the application ends as an operator's cancellation ends it.
  if (application && !ENDED_STATUSES.has(application.status) && request.entryId === undefined) {
    try {
      await cancelConfirmed(deps.end, application.applicationId, reason, caller);
      return { at: deps.clock().toISOString(), outcome: 'cancelled', countyTold: false };
    } catch (error) {
      // Ended meanwhile (a retry after the task failed, or the ladder recognised it): read what it is now.
      if (!(error instanceof ConflictError && error.code === 'ALREADY_ENDED')) throw error;
      application = await deps.records.getApplication(application.applicationId);
    }
  }
  if (application?.status === 'CANCELLED' && request.entryId === undefined) {
    return { at: deps.clock().toISOString(), outcome: 'cancelled', countyTold: false };
  }

  // After recognition: the entry is revoked, then the application, then the county is told.
  const entryId = request.entryId;
  if (entryId !== undefined) await revokeEntry(deps, entryId, reason, caller);
  if (application && RECOGNISED_STATUSES.has(application.status)) {
    await cancelRecognised(deps, application, reason, request, caller);
  } else if (entryId === undefined) {
    throw new ConflictError('NOTHING_TO_CANCEL', `application ${request.applicationId ?? ''} has ended otherwise`);
  }
  const to = application ? contactEmailOf(application) : undefined;
  if (to) await deps.mailer.send(revokedEmail(request, to, actorKey(caller)));
  return {
    at: deps.clock().toISOString(),
    outcome: 'revoked',
    ...(entryId !== undefined && { entryId }),
    countyTold: to !== undefined,
  };
}

/** Revokes the entry; an entry already revoked (by this request's retry, or a re-review) stays as it is. */
async function revokeEntry(deps: EffectDeps, entryId: string, reason: string, caller: Caller): Promise<void> {
  try {
    await moveEntry(deps.register, entryId, {
      to: 'revoked',
      by: actorKey(caller),
      reason,
      at: deps.clock().toISOString(),
    });
  } catch (error) {
    const entry = error instanceof ConflictError ? await deps.register.get(entryId) : undefined;
    if (entry?.state !== 'revoked') throw error;
  }
}

/** A recognised application becomes CANCELLED ("after recognition this is a revocation"), with its audit event. */
async function cancelRecognised(
  deps: EffectDeps,
  application: ApplicationRecord,
  reason: string,
  request: RevocationRequest,
  caller: Caller,
): Promise<void> {
  const at = deps.clock().toISOString();
  const { principal, requestId } = caller;
  await deps.records.saveApplication(
    { ...application, status: 'CANCELLED', decisionReason: reason, revision: application.revision + 1, updatedAt: at },
    application,
    {
      applicationId: application.applicationId,
      eventId: deps.newId(),
      at,
      action: 'CANCELLED',
      ...personActor(principal),
      requestId,
      fromStatus: application.status,
      toStatus: 'CANCELLED',
      reason,
      detail: {
        via: 'revocation',
        revocationRequest: request.requestId,
        requestedBy: request.requestedBy.sub,
        ...(request.entryId !== undefined && { registerEntry: request.entryId }),
      },
    },
  );
}
