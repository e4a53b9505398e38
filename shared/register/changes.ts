/**
 * How a register entry changes state after it entered the register: a re-review retains or
 * revokes it, a confirmed fraud revokes it, an operator records what becomes of a cohort member
 * that never filed, and a lapsed validity expires it. Every change is one history line naming
 * who and why, and is written conditionally on the entry's revision (RegisterStore.replace), so
 * two racing changes never both land and a retried one lands once.
 */
import type { RegisterStore } from '../ports/register.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { RegisterEntry, RegisterState } from './entry.ts';

/** Which state may follow which. A revoked or expired entry is final: a new recognition is a new entry. */
const NEXT_STATES: Readonly<Record<RegisterState, readonly RegisterState[]>> = {
  valid: ['under-re-review', 'revoked', 'expired'],
  // expired: a member whose re-review never completed, when the operator so decides.
  'under-re-review': ['retained', 'revoked', 'valid', 'expired'],
  retained: ['under-re-review', 'revoked', 'expired'],
  revoked: [],
  expired: [],
};

export interface RegisterChangeRequest {
  to: RegisterState;
  /** Who: a person's subject (`<role>:<sub>`), `workflow`, `sweeper`, `migration`. */
  by: string;
  reason: string;
  /** When the change happened (the clock's now). */
  at: string;
  /** A retained entry's renewed validity (YYYY-MM-DD, Beijing date). */
  validUntil?: string;
}

export function mayChange(from: RegisterState, to: RegisterState): boolean {
  return NEXT_STATES[from].includes(to);
}

/** The entry after the change: pure; refuses a change its state does not allow. */
export function changedEntry(entry: RegisterEntry, change: RegisterChangeRequest): RegisterEntry {
  if (!mayChange(entry.state, change.to)) {
    throw new ConflictError(
      'REGISTER_STATE',
      `register entry ${entry.entryId} is ${entry.state}: it cannot become ${change.to}`,
    );
  }
  return {
    ...entry,
    state: change.to,
    ...(change.validUntil !== undefined && { validUntil: change.validUntil }),
    history: [
      ...entry.history,
      { at: change.at, by: change.by, from: entry.state, to: change.to, reason: change.reason },
    ],
    revision: entry.revision + 1,
    updatedAt: change.at,
  };
}

/** Whether the entry already shows this change (a retry after it landed). */
function alreadyChanged(entry: RegisterEntry, change: RegisterChangeRequest): boolean {
  const last = entry.history[entry.history.length - 1];
  return entry.state === change.to && last?.to === change.to && last.reason === change.reason;
}

export type MoveOutcome = { entry: RegisterEntry; changed: boolean };

/**
 * Moves an entry to a new state: idempotent (the same change already written changes nothing)
 * and conditional (re-read and retried when someone else changed the entry in between; a change
 * the new state no longer allows is refused with a ConflictError).
 */
export async function moveEntry(
  store: Pick<RegisterStore, 'get' | 'replace'>,
  entryId: string,
  change: RegisterChangeRequest,
  attempts = 5,
): Promise<MoveOutcome> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const entry = await store.get(entryId);
    if (!entry) throw new NotFoundError(`register entry ${entryId} not found`);
    if (alreadyChanged(entry, change)) return { entry, changed: false };
    const next = changedEntry(entry, change);
    if (await store.replace(next, entry.revision)) return { entry: next, changed: true };
  }
  throw new ConflictError('REGISTER_BUSY', `register entry ${entryId} kept changing: try again`);
}
