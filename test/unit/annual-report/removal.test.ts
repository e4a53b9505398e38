import { describe, expect, it } from 'vitest';
import { type FileRemovalDeps, removalRefusal, removeReportFile } from '../../../shared/annual-report/removal.ts';
import {
  type AnnualReportFile,
  type AnnualReportRecord,
  annualReportFileKey,
} from '../../../shared/annual-report/report.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { ConflictError } from '../../../shared/platform/errors.ts';
import { oneLanguage } from '../../../shared/platform/pages/i18n.ts';
import type { FileRemoval } from '../../../shared/ports/annual-reports.ts';
import { PEOPLE } from '../support.ts';

/**
 * The county's removal of an annual-report upload: the rule (never the file a report carries,
 * not while it is being checked), who may (the county that uploaded it), the history and the
 * object's delete, a repeat answered as once, and the race with a filing that takes the file.
 * The store is a stand-in whose removal writes only if the upload and the report are as read,
 * as the DynamoDB transaction does (test/integration/annual-reports.test.ts runs that one).
 */
const NOW = new Date('2026-03-10T02:00:00Z');
const YEAR = 2025;
const ENTRY = 'provincial#2025#222403#敦化市人参';
const FILED = '11111111-1111-4111-8111-111111111111';
const SPARE = '22222222-2222-4222-8222-222222222222';
const LATER = '33333333-3333-4333-8333-333333333333';

const upload = (fileId: string, over: Partial<AnnualReportFile> = {}): AnnualReportFile => ({
  fileId,
  reportYear: YEAR,
  provinceCode: '220000',
  entryId: ENTRY,
  countyCode: '222403',
  fileName: `年度报告-${fileId.slice(0, 4)}.pdf`,
  contentType: 'application/pdf',
  fileType: 'pdf',
  declaredSize: 1000,
  maxBytes: 50 * 1024 * 1024,
  objectKey: annualReportFileKey({ provinceCode: '220000', reportYear: YEAR, fileId }),
  status: 'VALID',
  requestedBy: 'applicant:applicant-222403',
  requestedAt: '2026-03-01T02:00:00Z',
  uploadExpiresAt: '2026-03-01T02:15:00Z',
  findings: [],
  sha256: 'a'.repeat(64),
  validatedAt: '2026-03-01T02:01:00Z',
  ...over,
});

const reportOn = (fileId: string, state: AnnualReportRecord['state'] = 'FILED', revision = 0): AnnualReportRecord => ({
  reportYear: YEAR,
  provinceCode: '220000',
  entryId: ENTRY,
  countyCode: '222403',
  clusterName: '敦化市人参产业集群',
  state,
  figures: {
    clusterOutput: 1,
    smeCount: 1,
    employment: 1,
    rdSpending: 1,
    specialisedSmes: 0,
    littleGiants: 0,
    mainWork: '工作',
    problems: '问题',
  },
  file: {
    fileId,
    fileName: 'x.pdf',
    sha256: 'a'.repeat(64),
    objectKey: annualReportFileKey({ provinceCode: '220000', reportYear: YEAR, fileId }),
  },
  round: 1,
  filedBy: 'applicant:applicant-222403',
  filedAt: '2026-03-02T02:00:00Z',
  history: [{ at: '2026-03-02T02:00:00Z', by: 'applicant:applicant-222403', action: 'filed' }],
  revision,
});

/** A store holding the uploads and the cluster's report; `beforeWrite` lets a racing act land first. */
function world(files: AnnualReportFile[], report?: AnnualReportRecord) {
  const state = { files: new Map(files.map((f) => [f.fileId, f])), report, deleted: [] as string[], writes: 0 };
  let beforeWrite: (() => void) | undefined;
  const deps: FileRemovalDeps = {
    clock: () => NOW,
    assertOpen: async () => {},
    objects: { remove: async (key) => void state.deleted.push(key) },
    store: {
      getFile: async (_p, _y, fileId) => state.files.get(fileId),
      getReport: async () => state.report,
      removeFile: async (removal: FileRemoval) => {
        beforeWrite?.();
        beforeWrite = undefined;
        const now = state.files.get(removal.file.fileId);
        const sameReport = removal.report
          ? state.report?.revision === removal.report.expectedRevision
          : state.report === undefined;
        if (!now || now.removedAt || now.status !== removal.file.status || !sameReport) return false;
        state.files.set(now.fileId, { ...now, removedAt: removal.removedAt, removedBy: removal.removedBy });
        if (removal.report) state.report = removal.report.next;
        state.writes += 1;
        return true;
      },
    },
  };
  return { state, deps, racing: (act: () => void) => (beforeWrite = act) };
}

const neighbour: Principal = { sub: 'applicant-222401', role: 'applicant', jurisdiction: '222401' };

describe('which uploads may be removed', () => {
  it.each(['FILED', 'ACCEPTED', 'RETURNED'] as const)(
    'never the file a %s report carries: 409 naming fileId',
    (state) => {
      const refusal = removalRefusal(upload(FILED), reportOn(FILED, state), NOW);
      expect(refusal).toBeInstanceOf(ConflictError);
      expect(refusal?.code).toBe('FILE_FILED');
      expect(refusal?.details).toEqual([expect.objectContaining({ field: 'fileId', code: 'FILE_FILED' })]);
    },
  );

  it('names the report’s state in each language’s half: no English in the Chinese one', () => {
    const message = removalRefusal(upload(FILED), reportOn(FILED, 'RETURNED'), NOW)?.details?.[0]?.message ?? '';
    expect(oneLanguage('zh', message)).toBe('该文件已随年度报告报送（已退回），不能删除；重新报送时改用其他文件');
    expect(oneLanguage('en', message)).toBe('the report carries this file (returned): it cannot be removed');
  });

  it('a superseded or refused upload, and the one a next filing would take', () => {
    expect(removalRefusal(upload(SPARE), reportOn(FILED), NOW)).toBeUndefined();
    expect(removalRefusal(upload(SPARE, { status: 'INVALID' }), reportOn(FILED), NOW)).toBeUndefined();
    expect(removalRefusal(upload(SPARE), undefined, NOW)).toBeUndefined();
  });

  it('not while it is being checked with its link open; once the link has expired, yes', () => {
    const open = upload(SPARE, { status: 'PENDING', uploadExpiresAt: '2026-03-10T02:10:00Z' });
    expect(removalRefusal(open, undefined, NOW)?.code).toBe('FILE_PENDING');
    const expired = upload(SPARE, { status: 'PENDING', uploadExpiresAt: '2026-03-10T01:59:59Z' });
    expect(removalRefusal(expired, undefined, NOW)).toBeUndefined();
  });
});

describe('removing an upload', () => {
  it('marks it removed, says so in the report’s history, deletes its object; a repeat answers as once', async () => {
    const { state, deps } = world([upload(FILED), upload(SPARE)], reportOn(FILED));
    const first = await removeReportFile(deps, PEOPLE.dunhuaApplicant, YEAR, SPARE);
    expect(first).toMatchObject({ fileId: SPARE, entryId: ENTRY, removed: true, removedAt: NOW.toISOString() });
    expect(state.files.get(SPARE)?.removedBy).toBe('applicant:applicant-222403');
    expect(state.report?.revision).toBe(1);
    expect(state.report?.state).toBe('FILED');
    expect(state.report?.history.at(-1)).toEqual({
      at: NOW.toISOString(),
      by: 'applicant:applicant-222403',
      action: 'fileRemoved',
      file: { fileId: SPARE, fileName: upload(SPARE).fileName },
    });
    expect(state.deleted).toEqual([upload(SPARE).objectKey]);
    const again = await removeReportFile(deps, PEOPLE.dunhuaApplicant, YEAR, SPARE);
    expect(again).toEqual(first);
    expect(state.writes).toBe(1);
    // The repeat deletes again: a first attempt that stopped after its record still ends with the object gone.
    expect(state.deleted).toEqual([upload(SPARE).objectKey, upload(SPARE).objectKey]);
  });

  it('with no report yet, the removal is the upload’s own mark', async () => {
    const { state, deps } = world([upload(SPARE), upload(LATER)]);
    await removeReportFile(deps, PEOPLE.dunhuaApplicant, YEAR, SPARE);
    expect(state.files.get(SPARE)?.removedAt).toBe(NOW.toISOString());
    expect(state.report).toBeUndefined();
  });

  it('refuses the filed one and leaves it and its object alone', async () => {
    const { state, deps } = world([upload(FILED)], reportOn(FILED, 'ACCEPTED'));
    await expect(removeReportFile(deps, PEOPLE.dunhuaApplicant, YEAR, FILED)).rejects.toMatchObject({
      status: 409,
      code: 'FILE_FILED',
    });
    expect(state.files.get(FILED)?.removedAt).toBeUndefined();
    expect(state.deleted).toEqual([]);
  });

  it('only the county that uploaded it: another county of the province and the province are refused 403', async () => {
    const { state, deps } = world([upload(SPARE)]);
    for (const who of [neighbour, PEOPLE.jilinReviewer, PEOPLE.jilinOperator]) {
      await expect(removeReportFile(deps, who, YEAR, SPARE)).rejects.toMatchObject({ status: 403 });
    }
    expect(state.writes).toBe(0);
    // A county of another province looks in its own province's year: nothing there.
    await expect(removeReportFile(deps, PEOPLE.hebeiApplicant, YEAR, LATER)).rejects.toMatchObject({ status: 404 });
  });

  it('not once the year is closed (the desk’s check), though a repeat still answers', async () => {
    const { deps } = world([upload(SPARE), upload(LATER, { removedAt: NOW.toISOString() })]);
    const closed = new ConflictError('FORWARDED', 'forwarded');
    const shut = { ...deps, assertOpen: async () => Promise.reject(closed) };
    await expect(removeReportFile(shut, PEOPLE.dunhuaApplicant, YEAR, SPARE)).rejects.toBe(closed);
    await expect(removeReportFile(shut, PEOPLE.dunhuaApplicant, YEAR, LATER)).resolves.toMatchObject({ removed: true });
  });

  it('a filing that takes the file first wins: the removal looks again and is refused, nothing deleted', async () => {
    const { state, deps, racing } = world([upload(FILED), upload(SPARE)], reportOn(FILED));
    // Between the removal's read and its write, the county files again and the filing takes SPARE.
    racing(() => (state.report = { ...reportOn(SPARE), revision: 1 }));
    await expect(removeReportFile(deps, PEOPLE.dunhuaApplicant, YEAR, SPARE)).rejects.toMatchObject({
      code: 'FILE_FILED',
    });
    expect(state.files.get(SPARE)?.removedAt).toBeUndefined();
    expect(state.report?.file.fileId).toBe(SPARE);
    expect(state.deleted).toEqual([]);
  });

  it('a verdict that lands meanwhile is decided on again', async () => {
    const pending = upload(SPARE, { status: 'PENDING', uploadExpiresAt: '2026-03-10T01:00:00Z' });
    const { state, deps, racing } = world([pending]);
    racing(() => state.files.set(SPARE, { ...pending, status: 'VALID' }));
    await removeReportFile(deps, PEOPLE.dunhuaApplicant, YEAR, SPARE);
    expect(state.files.get(SPARE)).toMatchObject({ status: 'VALID', removedAt: NOW.toISOString() });
    expect(state.writes).toBe(1);
  });
});
