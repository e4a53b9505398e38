/**
 * An application's audit trail as its reader may see it. The trail names people by address: a
 * decision taken through an emailed link names the jurisdiction's registered reviewers it went to,
 * and a panel's events name the experts seated. The officials over the application see them whole;
 * the county that filed it sees each address with its local part masked (`may.seeReviewerAddresses`).
 * Decided here once, for the API's history, the application's detail and the portal's timeline.
 *
 * Names (`actorName`, the token's `name` claim or the expert's name on their seat) are another
 * matter than addresses. What is kept from the county is a way to reach a person past their office:
 * the notices publish the reviewing office, not its staff's mailboxes. A name is no such way. An
 * official who returns or rejects the application acts for the office, and the county reading why
 * needs to say, to that office, whose decision it answers; so officials' names are shown to it,
 * masked like the rest should a name hold an address. Two names stay out of the county's
 * trail: an expert's (experts score in secret and are not the office's staff; their name beside
 * the masked totals of a closed panel would tell the county whom to lobby), and a signed-in
 * objector's (an objection is the notice holder's business, not the objected-to county's).
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

/** Whose names the county does not read: see the module's comment. */
const nameWithheld = (event: AuditEvent): boolean => event.role === 'expert' || event.action === 'OBJECTION_FILED';

/**
 * The event with the people it names masked: the actor, its name (free text from a token, which
 * may hold an address) and the detail; an expert's or an objector's name left out. The reason
 * stays as its author wrote it to the county.
 */
function masked(event: AuditEvent): AuditEvent {
  const { actorName, ...rest } = event;
  return {
    ...rest,
    actor: maskAddresses(event.actor),
    ...(actorName !== undefined && !nameWithheld(event) && { actorName: maskAddresses(actorName) }),
    ...(event.detail && { detail: maskedRecord(event.detail) }),
  };
}

/** The trail as `principal` may read it: whole for the officials over the application, else masked. */
export function trailAsSeenBy(principal: Principal, application: Placed, events: AuditEvent[]): AuditEvent[] {
  return may.seeReviewerAddresses(principal, application) ? events : events.map(masked);
}
