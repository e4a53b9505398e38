/**
 * The county removes one of its cluster's uploads (DELETE /v1/annual-reports/files/{fileId}, or
 * the page's 删除 form): a wrong PDF, or the files a re-upload after a return left behind. The
 * rule, in the house shape of evidence removal (shared/intake/evidence-removal.ts):
 *
 * - only the county that uploaded it (the access policy's removeAnnualReportFile);
 * - never the file a report carries, whatever the report's state (FILED, ACCEPTED or RETURNED):
 *   the province decided on that file, and only a new filing replaces it (409 FILE_FILED);
 * - not while it is being checked (PENDING with its upload link still open, 409 FILE_PENDING):
 *   its object may still arrive, and a verdict comes within seconds. A PENDING upload whose link
 *   has expired (an upload that failed in the browser) may be removed: nothing can arrive for it
 *   any more, and an object that did arrive late is quarantined by the validator (./check.ts);
 * - while the year is open: not after the deadline, nor once the province has forwarded.
 *
 * The upload is marked removed in one transaction with the report's history (`fileRemoved`, when
 * the cluster has a report) and the set's version, conditional on the upload and the report as
 * read: a filing that takes the file at the same moment wins or loses as a whole, and the loser
 * looks again (the filing picks another file, the removal says FILE_FILED). Then its object is
 * deleted from the bucket (versioned: a delete marker, the bytes expire with the lifecycle rules).
 * A repeat answers as the first did, and deletes the object again should the first have failed
 * after its record was written.
 */
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { ConflictError, type ErrorDetail, NotFoundError } from '../platform/errors.ts';
import type { Clock } from '../ports/core.ts';
import type { AnnualReportObjects, AnnualReportStore } from '../ports/annual-reports.ts';
import { provinceOf } from '../register/entry.ts';
import type { Bilingual } from '../schemas/common.ts';
import type { AnnualReportFile, AnnualReportRecord } from './report.ts';

export interface FileRemovalDeps {
  store: Pick<AnnualReportStore, 'getFile' | 'getReport' | 'removeFile'>;
  objects: AnnualReportObjects;
  clock: Clock;
  /** The year is open: 409 DEADLINE_PASSED or FORWARDED otherwise (the desk's own check). */
  assertOpen: (provinceCode: string, reportYear: number) => Promise<void>;
}

export interface AnnualFileRemoved {
  fileId: string;
  entryId: string;
  fileName: string;
  removedAt: string;
  removed: true;
}

/** How many tries a removal gets when a filing or a verdict changed the file or the report first. */
const RETRIES = 3;

const answer = (file: AnnualReportFile, removedAt: string): AnnualFileRemoved => ({
  fileId: file.fileId,
  entryId: file.entryId,
  fileName: file.fileName,
  removedAt,
  removed: true,
});

/** The state a report is in, in each half of the refusal (a page shows the half of its language). */
const STATE_WORDS: Readonly<Record<AnnualReportRecord['state'], Bilingual>> = {
  FILED: { zh: '待省级审核', en: 'filed, awaiting the province' },
  ACCEPTED: { zh: '审核通过', en: 'accepted' },
  RETURNED: { zh: '已退回', en: 'returned' },
};

/**
 * Why this upload may not be removed now, or undefined when it may: the report carries it, or it
 * is still being checked with its upload link open.
 */
export function removalRefusal(
  file: Pick<AnnualReportFile, 'fileId' | 'fileName' | 'status' | 'uploadExpiresAt'>,
  report: Pick<AnnualReportRecord, 'state' | 'file'> | undefined,
  now: Date,
): ConflictError | undefined {
  if (report?.file.fileId === file.fileId) {
    const detail: ErrorDetail = {
      field: 'fileId',
      code: 'FILE_FILED',
      message: `该文件已随年度报告报送（${STATE_WORDS[report.state].zh}），不能删除；重新报送时改用其他文件 / the report carries this file (${STATE_WORDS[report.state].en}): it cannot be removed`,
    };
    return new ConflictError(
      'FILE_FILED',
      `${file.fileName} is the file of the cluster's ${report.state} report: only filing again with another file replaces it`,
      [detail],
    );
  }
  if (file.status === 'PENDING' && now.getTime() < Date.parse(file.uploadExpiresAt)) {
    return new ConflictError('FILE_PENDING', `${file.fileName} is still being checked; remove it once checked`, [
      {
        field: 'fileId',
        code: 'FILE_PENDING',
        message: '文件正在校验，校验完成后方可删除 / still being checked: remove it once its verdict is shown',
      },
    ]);
  }
  return undefined;
}

/** Removes the county's upload `fileId` of `reportYear` (its own province's partition). */
export async function removeReportFile(
  deps: FileRemovalDeps,
  principal: Principal,
  reportYear: number,
  fileId: string,
): Promise<AnnualFileRemoved> {
  // Who may, before anything is read: only a county's own official removes its uploads.
  assertAllowed(may.fileAnnualReport(principal, principal.jurisdiction), 'fileAnnualReport', principal);
  const provinceCode = provinceOf(principal.jurisdiction);
  const by = `${principal.role}:${principal.sub}`;
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    const file = await deps.store.getFile(provinceCode, reportYear, fileId);
    if (!file) {
      throw new NotFoundError(`No annual-report upload ${fileId} of ${reportYear} in ${provinceCode}`, [
        { field: 'fileId', code: 'NOT_FOUND', message: 'no such upload of this year' },
      ]);
    }
    assertAllowed(may.removeAnnualReportFile(principal, file), 'removeAnnualReportFile', principal);
    if (file.removedAt !== undefined) {
      // A repeat: the same answer; the object's delete again, in case the first stopped before it.
      await deps.objects.remove(file.objectKey);
      return answer(file, file.removedAt);
    }
    await deps.assertOpen(provinceCode, reportYear);
    const report = await deps.store.getReport(provinceCode, reportYear, file.entryId);
    const now = deps.clock();
    const refusal = removalRefusal(file, report, now);
    if (refusal) throw refusal;
    const at = now.toISOString();
    const removal = {
      file,
      removedAt: at,
      removedBy: by,
      ...(report && {
        report: {
          next: {
            ...report,
            history: [
              ...report.history,
              { at, by, action: 'fileRemoved' as const, file: { fileId, fileName: file.fileName } },
            ],
            revision: report.revision + 1,
          },
          expectedRevision: report.revision,
        },
      }),
    };
    if (await deps.store.removeFile(removal)) {
      await deps.objects.remove(file.objectKey);
      return answer(file, at);
    }
    // A filing, a verdict, a decision or another removal came first: look again.
  }
  throw new ConflictError('CHANGED', 'The upload or its report changed while it was being removed; try again');
}
