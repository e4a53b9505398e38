import { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { SesMailer } from '../../../shared/adapters/ses-mailer.ts';
import {
  createMetrics,
  emitMetric,
  flushMetrics,
  METRIC,
  METRICS_NAMESPACE,
  recordBacklog,
  recordEvidenceChecked,
  withMetrics,
} from '../../../shared/platform/metrics.ts';
import type { EvidenceRecord } from '../../../shared/schemas/records.ts';
import { pdfLibPdf, windowsExecutable } from '../../fixtures/files.ts';
import { APP_ID, EVIDENCE_ID, sampleEvidence } from '../support.ts';

// Metrics are created lazily, so these count for every instance in this file. POWERTOOLS_DEV
// makes Powertools write through the global console (which the tests spy on); it would also
// disable metrics, unless POWERTOOLS_METRICS_DISABLED says otherwise.
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
process.env.POWERTOOLS_SERVICE_NAME = 'validator';
delete process.env.POWERTOOLS_METRICS_NAMESPACE;
process.env.TABLE_NAME = 'Records';
process.env.BUCKET_NAME = 'evidence-bucket';
// The validator's formal-letter gate mails a level told of a full quota.
process.env.SENDER_EMAIL = 'noreply@clusters.example.gov.cn';
process.env.PUBLIC_BASE_URL = 'https://api.clusters.example.gov.cn';

interface Emf {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

let log: MockInstance<typeof console.log>;
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

/** Every EMF document written since the test began. */
const emitted = (): Emf[] =>
  log.mock.calls
    .map(([line]) => (typeof line === 'string' ? (JSON.parse(line) as unknown) : undefined))
    .filter((doc): doc is Emf => typeof doc === 'object' && doc !== null && '_aws' in doc);

/** name, value and the dimensions of each data point, as CloudWatch will index them. */
const points = () =>
  emitted().flatMap((doc) =>
    doc._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        value: doc[metric.Name],
        dimensions: Object.fromEntries((directive.Dimensions[0] ?? []).map((dimension) => [dimension, doc[dimension]])),
      })),
    ),
  );

describe('shared/metrics', () => {
  it('emits one data point at once, in the pipeline namespace, with the service dimension', () => {
    emitMetric(METRIC.emailsSent);
    expect(points()).toEqual([
      { namespace: METRICS_NAMESPACE, name: 'EmailsSent', value: 1, dimensions: { service: 'validator' } },
    ]);
  });

  it('takes the namespace from POWERTOOLS_METRICS_NAMESPACE', () => {
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'Elsewhere';
    try {
      emitMetric(METRIC.emailsSent, {}, 1, undefined, createMetrics());
    } finally {
      delete process.env.POWERTOOLS_METRICS_NAMESPACE;
    }
    expect(points()[0]?.namespace).toBe('Elsewhere');
  });

  it('counts a valid check under Reason NONE and an invalid one under each finding code', () => {
    recordEvidenceChecked('VALID', []);
    recordEvidenceChecked('INVALID', ['TYPE_MISMATCH', 'UPLOAD_LATE', 'TYPE_MISMATCH']);
    expect(points().map((point) => [point.name, point.dimensions])).toEqual([
      ['EvidenceChecked', { service: 'validator', Outcome: 'VALID', Reason: 'NONE' }],
      ['EvidenceChecked', { service: 'validator', Outcome: 'INVALID', Reason: 'TYPE_MISMATCH' }],
      ['EvidenceChecked', { service: 'validator', Outcome: 'INVALID', Reason: 'UPLOAD_LATE' }],
    ]);
  });

  it('writes the backlog gauges for every stage, zero included', () => {
    recordBacklog(
      { pending: { city: 4, province: 2 }, overdue: { miit: 1 }, dueWithin24h: 3 },
      createMetrics({ serviceName: 'sweeper' }),
    );
    const byName = (name: string) =>
      points()
        .filter((point) => point.name === name)
        .map((point) => [point.dimensions.Stage, point.value, point.dimensions.service]);
    expect(byName('PendingApplications')).toEqual([
      ['city', 4, 'sweeper'],
      ['province', 2, 'sweeper'],
      ['miit', 0, 'sweeper'],
    ]);
    expect(byName('OverdueApplications')).toEqual([
      ['city', 0, 'sweeper'],
      ['province', 0, 'sweeper'],
      ['miit', 1, 'sweeper'],
    ]);
    expect(points().filter((point) => point.name === 'ReviewsDueWithin24h')).toEqual([
      expect.objectContaining({ value: 3, dimensions: { service: 'sweeper' } }),
    ]);
  });

  it('flushes stored metrics when a wrapped handler returns or throws, and stays quiet when there are none', async () => {
    const metrics = createMetrics();
    const ok = withMetrics(
      async () => {
        metrics.addMetric(METRIC.evidenceCheckFailed, 'Count', 1);
        return 'done';
      },
      () => metrics,
    );
    await expect(ok()).resolves.toBe('done');
    const failing = withMetrics(
      async () => {
        metrics.addMetric(METRIC.evidenceCheckFailed, 'Count', 1);
        throw new Error('boom');
      },
      () => metrics,
    );
    await expect(failing()).rejects.toThrow('boom');
    expect(points().map((point) => point.name)).toEqual(['EvidenceCheckFailed', 'EvidenceCheckFailed']);

    log.mockClear();
    await withMetrics(
      async () => 'nothing',
      () => metrics,
    )();
    flushMetrics(metrics);
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('writes nothing, and throws nothing, when metrics are disabled', async () => {
    // Powertools reads the switch whenever it builds an instance (singleMetric() included).
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const disabled = createMetrics();
    try {
      emitMetric(METRIC.emailsSent, {}, 1, undefined, disabled);
      recordBacklog({ pending: {}, overdue: {}, dueWithin24h: 0 }, disabled);
      await withMetrics(
        async () => disabled.addMetric(METRIC.evidenceCheckFailed, 'Count', 1),
        () => disabled,
      )();
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    }
    expect(log).not.toHaveBeenCalled();
    expect(disabled.hasStoredMetrics()).toBe(false);
  });

  it('never lets a bad value break the work it counts', () => {
    expect(() => emitMetric(METRIC.reviewsDueWithin24h, {}, Number.NaN)).not.toThrow();
    expect(points()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not emit metric ReviewsDueWithin24h'));
  });
});

describe('the mailer', () => {
  const ses = mockClient(SESv2Client);
  beforeEach(() => ses.reset());
  const email = { to: ['reviewers+220000@clusters.example.gov.cn'], subject: '待审核', text: '请审核' };

  it('counts each email SES accepts', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    await expect(new SesMailer(new SESv2Client({}), 'no-reply@clusters.example.gov.cn').send(email)).resolves.toEqual({
      messageId: 'm-1',
    });
    expect(points()).toEqual([
      { namespace: METRICS_NAMESPACE, name: 'EmailsSent', value: 1, dimensions: { service: 'validator' } },
    ]);
  });

  it('counts nothing when SES refuses', async () => {
    ses.on(SendEmailCommand).rejects(new Error('MessageRejected'));
    await expect(new SesMailer(new SESv2Client({}), 'no-reply@clusters.example.gov.cn').send(email)).rejects.toThrow(
      'MessageRejected',
    );
    expect(points()).toEqual([]);
  });
});

describe('the validator', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const s3 = mockClient(S3Client);
  const KEY = `evidence/${APP_ID}/${EVIDENCE_ID}`;
  let handler: (event: unknown) => Promise<{ outcomes: string[] }>;
  let pdf: Buffer;

  beforeAll(async () => {
    handler = (await import('../../../functions/validator.ts')).handler;
    pdf = await pdfLibPdf();
  });
  beforeEach(() => {
    ddb.reset();
    s3.reset();
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
  });

  const pending = (overrides: Partial<EvidenceRecord> = {}): EvidenceRecord =>
    sampleEvidence({
      declaredSize: pdf.length,
      requestedAt: new Date().toISOString(),
      uploadExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      ...overrides,
    });
  const s3Event = (sequencer = '0A1B') => ({
    Records: [
      {
        eventName: 'ObjectCreated:Post',
        eventTime: new Date().toISOString(),
        s3: { bucket: { name: 'evidence-bucket' }, object: { key: KEY, size: 1, sequencer } },
      },
    ],
  });
  const body = (bytes: Buffer) => Readable.from([bytes]) as unknown as GetObjectCommandOutput['Body'];
  const checked = () =>
    points()
      .filter((point) => point.name === 'EvidenceChecked')
      .map((point) => point.dimensions);

  it('counts a valid upload', async () => {
    ddb.on(GetCommand).resolves({ Item: pending() });
    s3.on(GetObjectCommand).resolves({ Body: body(pdf), ContentType: 'application/pdf' });
    await handler(s3Event());
    expect(checked()).toEqual([{ service: 'validator', Outcome: 'VALID', Reason: 'NONE' }]);
  });

  it('counts an invalid upload under its finding code', async () => {
    const exe = windowsExecutable();
    ddb.on(GetCommand).resolves({ Item: pending({ declaredSize: exe.length }) });
    s3.on(GetObjectCommand).resolves({ Body: body(exe), ContentType: 'application/pdf' });
    await handler(s3Event());
    expect(checked()).toContainEqual({ service: 'validator', Outcome: 'INVALID', Reason: 'TYPE_MISMATCH' });
    expect(checked().every((dimensions) => dimensions.Outcome === 'INVALID')).toBe(true);
  });

  it('counts nothing for a replayed event', async () => {
    ddb.on(GetCommand).resolves({ Item: pending({ status: 'VALID', validatedSequencer: '0A1B' }) });
    await expect(handler(s3Event('0A1B'))).resolves.toEqual({ outcomes: ['REPLAYED'] });
    expect(points()).toEqual([]);
  });

  it('counts a check that throws as EvidenceCheckFailed, flushed before the error propagates', async () => {
    ddb.on(GetCommand).rejects(new Error('ThrottlingException'));
    await expect(handler(s3Event())).rejects.toThrow('ThrottlingException');
    expect(points()).toEqual([
      { namespace: METRICS_NAMESPACE, name: 'EvidenceCheckFailed', value: 1, dimensions: { service: 'validator' } },
    ]);
  });
});
