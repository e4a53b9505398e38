/**
 * The migration of typical cases written under the old rules (issue 13, item 6). The ladder once
 * ended a typical case RECOGNIZED, valid for three years (and so due annual reports). Under the
 * rules now, a typical case is selected or not, with no validity, and never a recognition
 * (DOMAIN.md, "Typical cases"). This migration:
 *
 * 1. turns each typical case still RECOGNIZED into SELECTED, its validity and recognition date
 *    removed, with an audit event (MIGRATED_TO_SELECTED) naming the former validity and who ran it;
 *    the write is conditional on the record's revision and status, as every status change is;
 * 2. revokes any register entry made from a typical case (an entry whose source is a pipeline or
 *    migration recognition of a typical-case application), through moveEntry, with the reason.
 *    Revoked, not deleted: the entry leaves every valid list and the annual-report duties, and its
 *    history keeps what happened and why.
 *
 * Idempotent: a second run finds no typical case RECOGNIZED and no such entry standing, and
 * changes nothing. The migration of missing register entries (recognitions.ts) runs after it.
 */
import { ConflictError } from '../platform/errors.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { RecognizedApplications, RegisterStore } from '../ports/register.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import { moveEntry } from './changes.ts';
import { type RegisterEntry, STANDING_STATES } from './entry.ts';

export interface TypicalMigrationDeps {
  applications: RecognizedApplications;
  records: Pick<Records, 'getApplication' | 'saveApplication'>;
  register: Pick<RegisterStore, 'all' | 'get' | 'replace'>;
  clock: Clock;
  newId: () => string;
}

export interface TypicalMigrationReport {
  /** Typical cases found RECOGNIZED and now SELECTED. */
  converted: number;
  /** Register entries made from a typical case, now revoked. */
  entriesRevoked: number;
}

/** Why an entry made from a typical case is revoked (the same words each run: moveEntry sees it done). */
export const REVOKED_TYPICAL_REASON =
  '由典型案例误记为认定（旧规则），典型案例不属于认定，撤销登记 / made from a typical case under the old rules: a typical case is never a recognition';

/** The record a typical case becomes: SELECTED, with no validity. */
export function asSelected(application: ApplicationRecord, at: string): ApplicationRecord {
  const { validUntil: _validUntil, recognizedAt: _recognizedAt, ...rest } = application;
  return { ...rest, status: 'SELECTED', revision: application.revision + 1, updatedAt: at };
}

function conversionAudit(before: ApplicationRecord, by: string, at: string, eventId: string): AuditEvent {
  return {
    applicationId: before.applicationId,
    eventId,
    at,
    action: 'MIGRATED_TO_SELECTED',
    actor: by,
    role: 'operator',
    fromStatus: 'RECOGNIZED',
    toStatus: 'SELECTED',
    reason: '典型案例入选不属于认定，无有效期 / a typical case is selected, not recognised, and has no validity',
    detail: {
      migration: 'typical-cases',
      ...(before.validUntil !== undefined && { formerValidUntil: before.validUntil }),
      ...(before.recognizedAt !== undefined && { formerRecognizedAt: before.recognizedAt }),
    },
  };
}

/** One typical case to SELECTED; false when someone changed it first and it is no longer RECOGNIZED. */
async function convert(deps: TypicalMigrationDeps, application: ApplicationRecord, by: string): Promise<boolean> {
  let current: ApplicationRecord | undefined = application;
  for (let attempt = 0; attempt < 3 && current?.status === 'RECOGNIZED'; attempt++) {
    const at = deps.clock().toISOString();
    try {
      await deps.records.saveApplication(
        asSelected(current, at),
        current,
        conversionAudit(current, by, at, deps.newId()),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === 'CONCURRENT_CHANGE')) throw error;
      current = await deps.records.getApplication(application.applicationId);
    }
  }
  return false;
}

/** The application an entry was made from, when the pipeline (or the earlier migration) made it. */
const sourceApplicationOf = (entry: RegisterEntry): string | undefined =>
  entry.source.kind === 'pipeline' || entry.source.kind === 'migration' ? entry.source.applicationId : undefined;

/** Runs the migration as `by` (the operator's subject). */
export async function migrateTypicalCases(deps: TypicalMigrationDeps, by: string): Promise<TypicalMigrationReport> {
  const report: TypicalMigrationReport = { converted: 0, entriesRevoked: 0 };
  const recognized = await deps.applications.recognized();
  for (const application of recognized) {
    if (application.track !== 'typical-case') continue;
    if (await convert(deps, application, by)) report.converted++;
  }

  const tracks = new Map<string, string | undefined>();
  const trackOf = async (applicationId: string) => {
    if (!tracks.has(applicationId))
      tracks.set(applicationId, (await deps.records.getApplication(applicationId))?.track);
    return tracks.get(applicationId);
  };
  for (const entry of await deps.register.all()) {
    const applicationId = sourceApplicationOf(entry);
    if (!applicationId || !STANDING_STATES.has(entry.state)) continue;
    if ((await trackOf(applicationId)) !== 'typical-case') continue;
    const moved = await moveEntry(deps.register, entry.entryId, {
      to: 'revoked',
      by: 'migration',
      reason: REVOKED_TYPICAL_REASON,
      at: deps.clock().toISOString(),
    });
    if (moved.changed) report.entriesRevoked++;
  }
  return report;
}
