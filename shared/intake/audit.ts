import type { Caller } from '../platform/auth/principal.ts';
import type { Clock } from '../ports/core.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';

/** What stamps an audit event: the time it happened and a fresh id. */
export interface AuditStamp {
  clock: Clock;
  newId: () => string;
}

/** The audit event of an act by the signed-in principal. */
export function callerAudit(
  { clock, newId }: AuditStamp,
  application: Pick<ApplicationRecord, 'applicationId'>,
  { principal, requestId }: Caller,
  action: AuditEvent['action'],
  extra: Partial<AuditEvent> = {},
): AuditEvent {
  return {
    applicationId: application.applicationId,
    eventId: newId(),
    at: clock().toISOString(),
    action,
    actor: principal.sub,
    role: principal.role,
    jurisdiction: principal.jurisdiction,
    requestId,
    ...extra,
  };
}
