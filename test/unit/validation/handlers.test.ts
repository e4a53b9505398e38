import { describe, expect, it, vi } from 'vitest';
import type { EvidenceCheckDeps } from '../../../shared/validation/evidence-check.ts';
import type { CheckOutcome, ObjectCreated } from '../../../shared/validation/upload-check.ts';
import { makeValidatorHandler } from '../../../shared/validation/handler.ts';
import { FakeRecords } from '../ladder/fakes.ts';
import { APP_ID, EVIDENCE_ID } from '../support.ts';

/*
 * The validator handler built from fakes: no environment, no SDK client. The check is a fake
 * too, so what is tested is the handler's part: reading S3's event and handing each created
 * object to the check.
 */

const deps: EvidenceCheckDeps = {
  records: new FakeRecords(),
  storage: { open: async () => undefined, quarantine: async () => false },
  clock: () => new Date('2026-04-01T02:00:00.000Z'),
  log: () => undefined,
};

const record = (eventName: string, key: string, extra: { size?: number; versionId?: string; eTag?: string } = {}) => ({
  eventName,
  eventTime: '2026-04-01T02:00:01.000Z',
  s3: { bucket: { name: 'evidence-bucket' }, object: { key, sequencer: '0A1B', ...extra } },
});

describe('makeValidatorHandler', () => {
  it('parses the S3 event and hands each created object to the check, its key decoded, its version named', async () => {
    const check = vi.fn(async (_deps: EvidenceCheckDeps, _event: ObjectCreated): Promise<CheckOutcome> => 'VALID');
    const handler = makeValidatorHandler(deps, check);

    const result = await handler({
      Records: [
        record('ObjectCreated:Post', `evidence/${APP_ID}/${EVIDENCE_ID}`, { size: 2048, versionId: 'v1', eTag: 'e1' }),
        record('ObjectCreated:Put', 'incoming/my+file%E2%80%94v2.pdf'),
      ],
    });

    expect(result).toEqual({ outcomes: ['VALID', 'VALID'] });
    expect(check.mock.calls).toEqual([
      [
        deps,
        {
          key: `evidence/${APP_ID}/${EVIDENCE_ID}`,
          size: 2048,
          sequencer: '0A1B',
          eventTime: '2026-04-01T02:00:01.000Z',
          versionId: 'v1',
          eTag: 'e1',
        },
      ],
      // S3 writes keys URL-encoded with '+' for spaces; a missing size counts as 0.
      [deps, { key: 'incoming/my file—v2.pdf', size: 0, sequencer: '0A1B', eventTime: '2026-04-01T02:00:01.000Z' }],
    ]);
  });

  it('skips records that are not ObjectCreated', async () => {
    const check = vi.fn(async (): Promise<CheckOutcome> => 'INVALID');
    const handler = makeValidatorHandler(deps, check);

    const result = await handler({
      Records: [
        record('ObjectRemoved:Delete', `evidence/${APP_ID}/${EVIDENCE_ID}`),
        record('ObjectCreated:Copy', `evidence/${APP_ID}/${EVIDENCE_ID}`),
      ],
    });

    expect(result).toEqual({ outcomes: ['INVALID'] });
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('throws on what is not an S3 event (the invocation is retried, then dead-lettered), checking nothing', async () => {
    const check = vi.fn(async (): Promise<CheckOutcome> => 'VALID');
    const handler = makeValidatorHandler(deps, check);
    await expect(handler({ Records: [{ eventName: 'ObjectCreated:Put' }] })).rejects.toThrow();
    expect(check).not.toHaveBeenCalled();
  });
});
