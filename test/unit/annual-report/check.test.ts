import { describe, expect, it } from 'vitest';
import { checkUploadedAnnualReport } from '../../../shared/annual-report/check.ts';
import { type AnnualReportFile, annualReportFileKey } from '../../../shared/annual-report/report.ts';
import type { EvidenceObjects } from '../../../shared/ports/validation.ts';
import type { ObjectCreated } from '../../../shared/validation/upload-check.ts';
import { handmadePdf } from '../../fixtures/files.ts';

const now = new Date('2027-04-20T02:00:00.000Z');
const pdf = handmadePdf();

const requested = (): AnnualReportFile => {
  const file = {
    fileId: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    reportYear: 2026,
    provinceCode: '220000',
    entryId: 'entry-1',
    countyCode: '222401',
    requestedBy: 'user:county-222401',
    fileName: '年度报告.pdf',
    contentType: 'application/pdf',
    fileType: 'pdf' as const,
    declaredSize: pdf.length,
    maxBytes: 50 * 1024 * 1024,
    status: 'PENDING' as const,
    requestedAt: '2027-04-20T01:50:00.000Z',
    uploadExpiresAt: '2027-04-20T02:05:00.000Z',
    findings: [],
  };
  return { ...file, objectKey: annualReportFileKey(file) };
};

/**
 * The store as the DynamoDB adapter behaves: the first verdict is written only if none is
 * recorded yet. `beforeRecord` runs once, just before the next write: another delivery's
 * verdict landing between this check's read and its write.
 */
function world() {
  let stored = requested();
  let beforeRecord: (() => void) | undefined;
  const objects = new Map<string, { bytes: Buffer; versionId: string }>();
  const quarantined: { key: string; keep?: string | undefined }[] = [];
  const store = {
    getFile: async () => stored,
    recordFileValidation: async (file: AnnualReportFile) => {
      beforeRecord?.();
      beforeRecord = undefined;
      // As the adapter: no verdict over another, nor over a removed upload.
      if (stored.validatedSequencer !== undefined || stored.removedAt !== undefined) return false;
      stored = file;
      return true;
    },
  };
  const storage: EvidenceObjects = {
    open: async (key) => {
      const object = objects.get(key);
      if (!object) return undefined;
      return {
        body: (async function* () {
          yield object.bytes;
        })(),
        contentType: 'application/pdf',
        versionId: object.versionId,
      };
    },
    quarantine: async (key, _stray, keep) => {
      quarantined.push({ key, keep: keep?.versionId });
      return true;
    },
  };
  const deps = { store, storage, clock: () => now, log: () => undefined };
  const event = (sequencer: string, eventTime = now.toISOString()): ObjectCreated => ({
    key: stored.objectKey,
    size: pdf.length,
    sequencer,
    eventTime,
    versionId: objects.get(stored.objectKey)?.versionId,
  });
  return {
    deps,
    event,
    quarantined,
    stored: () => stored,
    /** The county removed the upload (shared/annual-report/removal.ts). */
    removed: () => {
      stored = { ...stored, removedAt: now.toISOString(), removedBy: 'applicant:county-222401' };
    },
    put: (versionId: string) => objects.set(stored.objectKey, { bytes: pdf, versionId }),
    /** Another delivery records its verdict between this check's read and its write. */
    recordedMeanwhile: (file: AnnualReportFile) => {
      beforeRecord = () => {
        stored = file;
      };
    },
  };
}

describe("the validator's check of an annual report's file", () => {
  it('records the first verdict with the version read; the same event again changes nothing', async () => {
    const w = world();
    w.put('v1');
    await expect(checkUploadedAnnualReport(w.deps, w.event('0A1B'))).resolves.toBe('VALID');
    const decided = w.stored();
    expect(decided).toMatchObject({ status: 'VALID', versionId: 'v1', validatedSequencer: '0A1B', size: pdf.length });
    await expect(checkUploadedAnnualReport(w.deps, w.event('0A1B'))).resolves.toBe('REPLAYED');
    expect(w.stored()).toEqual(decided);
    expect(w.quarantined).toEqual([]);
  });

  it('quarantines a second object for a decided file, keeping the version that was checked', async () => {
    const w = world();
    w.put('v1');
    await checkUploadedAnnualReport(w.deps, w.event('0A1B'));
    w.put('v2');
    await expect(checkUploadedAnnualReport(w.deps, w.event('0B00'))).resolves.toBe('QUARANTINED');
    expect(w.quarantined).toEqual([{ key: w.stored().objectKey, keep: 'v1' }]);
    expect(w.stored()).toMatchObject({ status: 'VALID', versionId: 'v1', validatedSequencer: '0A1B' });
  });

  it('quarantines the loser when a second object is decided first while this one is checked', async () => {
    const w = world();
    w.put('v2');
    w.recordedMeanwhile({ ...requested(), status: 'VALID', versionId: 'v1', validatedSequencer: '0A1B' });
    await expect(checkUploadedAnnualReport(w.deps, w.event('0B00'))).resolves.toBe('QUARANTINED');
    expect(w.quarantined).toEqual([{ key: w.stored().objectKey, keep: 'v1' }]);
    expect(w.stored()).toMatchObject({ versionId: 'v1', validatedSequencer: '0A1B' });
  });

  it('quarantines an object that arrives for a removed upload, recording no verdict', async () => {
    const w = world();
    w.removed();
    w.put('v1');
    await expect(checkUploadedAnnualReport(w.deps, w.event('0A1B'))).resolves.toBe('QUARANTINED');
    expect(w.quarantined).toEqual([{ key: w.stored().objectKey, keep: undefined }]);
    expect(w.stored()).toMatchObject({ status: 'PENDING', removedAt: now.toISOString() });
  });

  it('quarantines the object when the upload is removed while it is checked', async () => {
    const w = world();
    w.put('v1');
    w.recordedMeanwhile({ ...requested(), removedAt: now.toISOString(), removedBy: 'applicant:county-222401' });
    await expect(checkUploadedAnnualReport(w.deps, w.event('0A1B'))).resolves.toBe('QUARANTINED');
    expect(w.quarantined).toEqual([{ key: w.stored().objectKey, keep: undefined }]);
    expect(w.stored().status).toBe('PENDING');
    expect(w.stored().validatedSequencer).toBeUndefined();
  });

  it('a replay racing its own first delivery is a replay, not a second object', async () => {
    const w = world();
    w.put('v1');
    w.recordedMeanwhile({ ...requested(), status: 'VALID', versionId: 'v1', validatedSequencer: '0A1B' });
    await expect(checkUploadedAnnualReport(w.deps, w.event('0A1B'))).resolves.toBe('REPLAYED');
    expect(w.quarantined).toEqual([]);
  });

  it('refuses a file that arrived after its link expired (a minute of grace), telling the official to ask again', async () => {
    const inGrace = world();
    inGrace.put('v1');
    await expect(
      checkUploadedAnnualReport(inGrace.deps, inGrace.event('0A1B', '2027-04-20T02:06:00.000Z')),
    ).resolves.toBe('VALID');
    const late = world();
    late.put('v1');
    await expect(checkUploadedAnnualReport(late.deps, late.event('0A1B', '2027-04-20T02:06:00.001Z'))).resolves.toBe(
      'INVALID',
    );
    expect(late.stored().findings).toEqual([
      {
        code: 'UPLOAD_LATE',
        message: {
          zh: '上传链接已过期后才收到文件，请重新申请上传链接',
          en: 'The file arrived after the upload link expired; request a new link',
        },
      },
    ]);
  });
});
