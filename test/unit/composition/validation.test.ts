import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { inspectionHow, wireValidator } from '../../../shared/composition/validation.ts';
import { ENV, type Env } from '../../../shared/composition/env.ts';
import { checkUploadedEvidence } from '../../../shared/validation/evidence-check.ts';
import { pdfLibPdf } from '../../fixtures/files.ts';
import { APP_ID, EVIDENCE_ID, sampleEvidence } from '../support.ts';

/** Where each inspection was told to hash: fileDigest's options, recorded around the real one. */
const digests = vi.hoisted(() => ({ options: [] as unknown[] }));
vi.mock('../../../shared/validation/digest.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../shared/validation/digest.ts')>();
  return {
    ...real,
    fileDigest: (...args: Parameters<typeof real.fileDigest>) => {
      digests.options.push(args[1]);
      return real.fileDigest(...args);
    },
  };
});

const env = (memoryMb?: string): Env =>
  ({
    [ENV.tableName]: 'Records',
    [ENV.bucketName]: 'evidence-bucket',
    // The formal-letter gate mails the level over a full quota.
    [ENV.senderEmail]: 'noreply@clusters.example.gov.cn',
    [ENV.publicBaseUrl]: 'https://api.clusters.example.gov.cn',
    ...(memoryMb !== undefined && { [ENV.lambdaMemorySize]: memoryMb }),
  }) as Env;

describe('inspectionHow: the Lambda’s share of CPU', () => {
  it.each([
    ['128', { hashBeside: false }],
    ['1024', { hashBeside: false }],
    ['3537', { hashBeside: false }],
    ['3538', {}],
    ['10240', {}],
    [undefined, {}],
    ['', {}],
  ])('with %s MB it answers %j', (memoryMb, how) => {
    expect(inspectionHow(env(memoryMb))).toEqual(how);
  });

  it('reaches the evidence, level-document and annual-report checks alike', () => {
    const wired = wireValidator(() => undefined, env('1024'));
    expect(wired.inspection).toEqual({ hashBeside: false });
    expect(wired.levelDocuments.inspection).toEqual({ hashBeside: false });
    expect(wired.annualReports.inspection).toEqual({ hashBeside: false });
  });
});

describe('the evidence check', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await pdfLibPdf();
  });

  it('hands the composition’s choice to the inspection', async () => {
    for (const inspection of [{ hashBeside: false }, { hashBeside: true }]) {
      const evidence = sampleEvidence({
        declaredSize: pdf.length,
        requestedAt: new Date().toISOString(),
        uploadExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      });
      const records = {
        getEvidence: async () => evidence,
        // The content's first holder is this item: no duplicate.
        claimContentHash: async () => evidence.evidenceId,
        recordValidation: async () => true,
      };
      digests.options.length = 0;
      const outcome = await checkUploadedEvidence(
        {
          records,
          storage: { open: async () => ({ body: Readable.from([pdf]) }), quarantine: async () => false },
          clock: () => new Date(),
          log: () => undefined,
          inspection,
        },
        {
          key: `evidence/${APP_ID}/${EVIDENCE_ID}`,
          size: pdf.length,
          sequencer: '0A1B',
          eventTime: new Date().toISOString(),
        },
      );
      expect(outcome).toBe('VALID');
      expect(digests.options).toEqual([inspection.hashBeside]);
    }
  });
});
