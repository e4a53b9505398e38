/**
 * The operator's recorded decision on a cohort member (issue 13 item 2): what becomes of an entry
 * whose re-review never completed — it never filed, or its filing was withdrawn or overdue — is
 * never an automatic rule. A national operator, or the operator of the entry's province, retains,
 * revokes or lets it expire, with a reason; the entry moves through moveEntry only, the history
 * naming who decided.
 */
import * as z from 'zod';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller } from '../platform/auth/principal.ts';
import { NotFoundError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Clock } from '../ports/core.ts';
import type { RegisterStore } from '../ports/register.ts';
import { RegisterEntryIdSchema } from '../schemas/api.ts';
import { moveEntry } from './changes.ts';
import { DEFAULT_VALIDITY_YEARS, RegisterEntrySchema, type RegisterState } from './entry.ts';
import { renewedValidUntil } from './rereview-outcome.ts';

export const DECISIONS = ['retain', 'revoke', 'expire'] as const;

export const DecisionBodySchema = z.strictObject({
  entryId: RegisterEntryIdSchema,
  decision: z.enum(DECISIONS),
  reason: z.string().trim().min(1, 'say why').max(500),
  /** A retained entry's renewed term, from the end of the one it had. */
  validityYears: z.int().min(1).max(10).default(DEFAULT_VALIDITY_YEARS),
});
export type DecisionBody = z.input<typeof DecisionBodySchema>;

export const DecisionResultSchema = z.object({ entry: RegisterEntrySchema, changed: z.boolean() });

const TARGET: Record<(typeof DECISIONS)[number], RegisterState> = {
  retain: 'retained',
  revoke: 'revoked',
  expire: 'expired',
};

export interface DecisionDeps {
  register: Pick<RegisterStore, 'get' | 'replace'>;
  clock: Clock;
}

/** POST /v1/register/decisions: 409 REGISTER_STATE when the entry's state does not allow it. */
export async function recordDecision(deps: DecisionDeps, caller: Caller, input: unknown) {
  const { principal } = caller;
  // Only operators decide: refuse anyone else before reading the body.
  assertAllowed(principal.role === 'operator', 'keepRegister', principal);
  const body = parseOrThrow(DecisionBodySchema, input);
  const entry = await deps.register.get(body.entryId);
  if (!entry) throw new NotFoundError(`register entry ${body.entryId} not found`);
  assertAllowed(may.keepRegister(principal, entry.provinceCode), 'keepRegister', principal);
  const by = `${principal.role}:${principal.sub}`;
  const at = deps.clock().toISOString();
  const reason = `运营人员决定 / operator's decision: ${body.reason}`;
  const to = TARGET[body.decision];
  // A member that never filed is still valid: it passes through under-re-review, so its history
  // shows the re-review it was part of before the decision on it.
  if (to === 'retained' && entry.state === 'valid') {
    await moveEntry(deps.register, entry.entryId, { to: 'under-re-review', by, reason, at });
  }
  const current = to === 'retained' ? await deps.register.get(entry.entryId) : entry;
  return moveEntry(deps.register, entry.entryId, {
    to,
    by,
    reason,
    at,
    ...(to === 'retained' &&
      current?.state !== 'retained' && { validUntil: renewedValidUntil(current ?? entry, body.validityYears) }),
  });
}
