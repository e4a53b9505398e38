/**
 * An application's audit trail as its reader may see it. The trail names people by address: a
 * decision taken through an emailed link names the jurisdiction's registered reviewers it went to,
 * and a panel's events name the experts seated. The officials over the application see them whole;
 * the county that filed it sees each address with its local part masked (`may.seeReviewerAddresses`).
 * Decided here once, for the API's history, the application's detail and the portal's timeline.
 */
import { may, type Placed } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { AuditEvent } from '../schemas/records.ts';

const ADDRESS = /([^\s,;<>@]+)@([^\s,;<>@]+)/g;

/**
 * Each e-mail address in `text` with its local part masked: `reviewer@yanbian.gov.cn` →
 * `r***@yanbian.gov.cn`. The domain stays (it names the office); anything else is unchanged.
 */
export const maskAddresses = (text: string): string =>
  text.replace(ADDRESS, (_, local: string, domain: string) => `${local.slice(0, 1)}***@${domain}`);

/** Every text inside a detail with its addresses masked (a panel's `expert`, `totals[].expert`, `notScored`). */
const maskedRecord = (record: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, maskedValue(inner)]));

function maskedValue(value: unknown): unknown {
  if (typeof value === 'string') return maskAddresses(value);
  if (Array.isArray(value)) return value.map(maskedValue);
  return value !== null && typeof value === 'object' ? maskedRecord(value) : value;
}

/**
 * The event with the people it names masked: the actor and the detail. The reason stays as its
 * author wrote it to the county.
 */
function masked(event: AuditEvent): AuditEvent {
  return {
    ...event,
    actor: maskAddresses(event.actor),
    ...(event.detail && { detail: maskedRecord(event.detail) }),
  };
}

/** The trail as `principal` may read it: whole for the officials over the application, else masked. */
export function trailAsSeenBy(principal: Principal, application: Placed, events: AuditEvent[]): AuditEvent[] {
  return may.seeReviewerAddresses(principal, application) ? events : events.map(masked);
}
