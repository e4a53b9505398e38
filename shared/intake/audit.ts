import type { Caller, Principal } from '../platform/auth/principal.ts';
import type { Clock } from '../ports/core.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';

/** What stamps an audit event: the time it happened and a fresh id. */
export interface AuditStamp {
  clock: Clock;
  newId: () => string;
}

/**
 * `{ actorName }` when `name` says something, else nothing: a token's blank `name` claim names
 * no one, and an event without the field is drawn by its stable id as before.
 */
export function actorNameOf(name: string | undefined): Pick<AuditEvent, 'actorName'> {
  const trimmed = name?.trim();
  return trimmed ? { actorName: trimmed } : {};
}

/**
 * Who an audit event names for a signed-in person: the token's subject as the stable id (tracing
 * and the operators' search go by it), their display name from the token's `name` claim for the
 * reader, their role and jurisdiction.
 */
export function personActor(principal: Principal): Pick<AuditEvent, 'actor' | 'actorName' | 'role' | 'jurisdiction'> {
  return {
    actor: principal.sub,
    ...actorNameOf(principal.name),
    role: principal.role,
    jurisdiction: principal.jurisdiction,
  };
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
    ...personActor(principal),
    requestId,
    ...extra,
  };
}
