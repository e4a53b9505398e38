/**
 * What a re-review does to its register entry (issue 13 item 2), through moveEntry only:
 *   - the filing submitted: under-re-review;
 *   - MIIT's approval (the Recognize task): retained, its validity renewed by the campaign's
 *     validityYears counted from the entry's old validUntil — the renewed term continues the one
 *     it replaces, so neither the time the ladder took nor an early decision shortens or
 *     lengthens it (a 2022 entry valid to 2025-12-20 is retained to 2028-12-20);
 *   - a rejection at any level (MarkRejected): revoked, with the reviewer's reason.
 * A filing withdrawn, overdue or cancelled moves nothing: the entry stays under re-review and the
 * console shows it, and what becomes of it is an operator's recorded decision (./decisions.ts).
 * A typical case never moves its entry (it is selected or not; the entry stays as it is).
 */
import { ConflictError } from '../platform/errors.ts';
import type { Clock } from '../ports/core.ts';
import type { RegisterStore } from '../ports/register.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { type MoveOutcome, moveEntry } from './changes.ts';
import { addYearsToDate, DEFAULT_VALIDITY_YEARS, type RegisterEntry } from './entry.ts';

export interface RereviewOutcomeDeps {
  register: Pick<RegisterStore, 'get' | 'replace'>;
  clock: Clock;
}

/** The validity a retained entry gets: validityYears more, from the end of the term it had. */
export function renewedValidUntil(entry: Pick<RegisterEntry, 'validUntil'>, validityYears: number): string {
  return addYearsToDate(entry.validUntil, validityYears);
}

const isRereviewFiling = (
  application: ApplicationRecord,
): application is ApplicationRecord & { registerEntryId: string } =>
  application.track === 'rereview' && application.registerEntryId !== undefined;

/** The register's side of a re-review, called by intake (submitted) and the ladder (settled). */
export interface RereviewRegister {
  /** The filing was submitted: its entry is under re-review (a resubmission changes nothing). */
  filed(application: ApplicationRecord): Promise<MoveOutcome | undefined>;
  /**
   * The application ended: RECOGNIZED retains the entry for `validityYears` more, REJECTED
   * revokes it with the reason; any other end (withdrawn, overdue, cancelled) moves nothing.
   */
  settled(application: ApplicationRecord, validityYears?: number): Promise<MoveOutcome | undefined>;
}

/**
 * A move the entry's state no longer allows (an operator revoked it for false information while
 * its re-review ran) leaves the entry as it is: a revocation is final, and the workflow's task
 * must not fail for it.
 */
async function unlessFinal(move: Promise<MoveOutcome>): Promise<MoveOutcome | undefined> {
  try {
    return await move;
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'REGISTER_STATE') return undefined;
    throw error;
  }
}

export function rereviewRegister(deps: RereviewOutcomeDeps): RereviewRegister {
  const at = () => deps.clock().toISOString();
  return {
    async filed(application) {
      if (!isRereviewFiling(application)) return undefined;
      const entry = await deps.register.get(application.registerEntryId);
      if (!entry || entry.state === 'under-re-review') return entry && { entry, changed: false };
      return moveEntry(deps.register, application.registerEntryId, {
        to: 'under-re-review',
        by: 'workflow',
        reason: `复核申报已提交 / re-review filed (application ${application.applicationId})`,
        at: at(),
      });
    },
    async settled(application, validityYears = DEFAULT_VALIDITY_YEARS) {
      if (!isRereviewFiling(application)) return undefined;
      if (application.status === 'RECOGNIZED') {
        const entry = await deps.register.get(application.registerEntryId);
        if (!entry) return undefined;
        // A retry after it landed: the entry already shows the retention (and its renewed term).
        const validUntil = entry.state === 'retained' ? entry.validUntil : renewedValidUntil(entry, validityYears);
        return unlessFinal(
          moveEntry(deps.register, application.registerEntryId, {
            to: 'retained',
            by: 'workflow',
            reason: `复核通过 / retained by the re-review (application ${application.applicationId})`,
            at: at(),
            validUntil,
          }),
        );
      }
      if (application.status === 'REJECTED') {
        return unlessFinal(
          moveEntry(deps.register, application.registerEntryId, {
            to: 'revoked',
            by: 'workflow',
            reason: `复核未通过：${application.decisionReason ?? '未说明'} / failed the re-review (application ${application.applicationId}): ${application.decisionReason ?? 'no reason given'}`,
            at: at(),
          }),
        );
      }
      return undefined;
    },
  };
}
