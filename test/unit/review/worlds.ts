import { S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DynamoLevelDocuments } from '../../../shared/adapters/dynamo-level-documents.ts';
import { DynamoQuotas } from '../../../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { SesMailer } from '../../../shared/adapters/ses-mailer.ts';
import { SfnTaskControl } from '../../../shared/adapters/sfn-task-control.ts';
import { NoPanels } from '../../../shared/adapters/unwired-steps.ts';
import type { EvidenceObjects } from '../../../shared/ports/validation.ts';
import type { LevelDocumentCheckDeps } from '../../../shared/review/level-documents/check.ts';
import { LevelDocumentDesk } from '../../../shared/review/level-documents/desk.ts';
import type { Level } from '../../../shared/review/level-documents/filing.ts';
import { completeWaitingLetterSteps, type GateDeps } from '../../../shared/review/level-documents/gate.ts';
import { letterKindFor } from '../../../shared/review/level-documents/records.ts';
import type { SummaryDeps } from '../../../shared/review/level-documents/summary.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { type ReviewRecord, reviewIdOf } from '../../../shared/schemas/reviews.ts';
import { pdfLibPdf } from '../../fixtures/files.ts';
import { startTestIssuer, type TestIssuer } from '../sign-in.ts';
import { PEOPLE } from '../support.ts';
import { FakeTable } from './fake-table.ts';
import {
  application,
  BASE_URL,
  BUCKET,
  documentClient,
  makeDesk,
  review,
  SECRET,
  SENDER,
  seed,
  TABLE,
} from './fixtures.ts';

/**
 * What a unit test file runs over when it runs over the table: the SDK clients mocked, a fresh
 * fake table each test (mockedCloud), and the level documents' world on it. Apart from
 * fixtures.ts (data and the desk), because these register the file's hooks.
 */

export type CloudOptions = {
  /** Mock the S3 client too, answering nothing: for code that builds one but must send nothing. */
  s3?: boolean;
  /** Set what a function's composition reads (table, bucket, sender, public base URL), for files that load a handler. */
  functionEnv?: boolean;
};

/**
 * The SDK clients mocked for the test file (or describe block) that calls it, at its top level: it
 * registers a beforeEach there that puts DynamoDB over a fresh FakeTable, Step Functions answering
 * and SES accepting (message id `m-1`), each client's calls forgotten. `emptyTable()` starts a
 * fresh table within a test; `sentEmails()` is what SES was asked to send this test.
 */
export function mockedCloud(options: CloudOptions = {}) {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  if (options.functionEnv) {
    process.env.TABLE_NAME = TABLE;
    process.env.BUCKET_NAME = BUCKET;
    process.env.SENDER_EMAIL = SENDER;
    process.env.PUBLIC_BASE_URL = BASE_URL;
  }
  const ddb = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);
  const ses = mockClient(SESv2Client);
  if (options.s3) mockClient(S3Client);
  let table = new FakeTable();
  const emptyTable = () => {
    table = new FakeTable();
    table.install(ddb);
    return table;
  };

  beforeEach(() => {
    ddb.reset();
    sfn.reset();
    ses.reset();
    emptyTable();
    sfn.resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  });

  return {
    ddb,
    sfn,
    ses,
    /** This test's table. */
    get table() {
      return table;
    },
    emptyTable,
    /** The emails SES was asked to send this test, in order. */
    sentEmails: () => ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input),
  };
}

/** What a function's handler answered, as the tests read it. */
export type FunctionResult = { statusCode: number; body: string; headers?: Record<string, unknown> };

/**
 * The reviews function (functions/reviews.ts) for the file or describe block that calls it: a test
 * sign-in issuer started and the handler loaded once before its tests (the issuer first, so the
 * handler's verifier trusts it; pair with `mockedCloud({ functionEnv: true })`), closed after.
 */
export function reviewsFunction() {
  let handler: ((event: APIGatewayProxyEventV2) => Promise<FunctionResult>) | undefined;
  let issuer: TestIssuer | undefined;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    handler = (await import('../../../functions/reviews.ts')).handler;
  });
  afterAll(() => issuer?.close());
  const token = (principal: Principal): Promise<string> => {
    if (!issuer) throw new Error('the issuer starts in beforeAll');
    return issuer.token(principal);
  };
  return {
    handle: (event: APIGatewayProxyEventV2): Promise<FunctionResult> => {
      if (!handler) throw new Error('the reviews function is loaded in beforeAll');
      return handler(event);
    },
    /** An ID token for the principal, from the issuer the handler trusts. */
    token,
    /**
     * A console request by the principal, with their ID token (a browser sends it as the session
     * cookie); `form`, a same-site form post.
     */
    console: async (routeKey: string, principal: Principal, options: ConsoleRequest = {}): Promise<FunctionResult> => {
      if (!handler) throw new Error('the reviews function is loaded in beforeAll');
      return handler({
        version: '2.0',
        routeKey,
        rawPath: '/',
        rawQueryString: '',
        headers: {
          authorization: `Bearer ${await token(principal)}`,
          ...(options.form !== undefined && {
            'content-type': 'application/x-www-form-urlencoded',
            'sec-fetch-site': 'same-origin',
          }),
          ...options.headers,
        },
        isBase64Encoded: false,
        body: options.form,
        pathParameters: options.path,
        queryStringParameters: options.query,
        requestContext: { requestId: 'req-1', http: { method: routeKey.split(' ')[0] } },
      } as unknown as APIGatewayProxyEventV2);
    },
  };
}

/** What a console request carries beside its route and its person. */
export interface ConsoleRequest {
  path?: Record<string, string>;
  form?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * The level documents' world for a test file that calls it at its top level: the SDK clients
 * mocked (mockedCloud, its table seeded with `campaign` before each test), a PDF that passes the
 * validator, and the desk, the gate's deps and the validator's bucket over that table, at `now`.
 */
export function levelDocumentsWorld(now: Date, campaign: Campaign) {
  const cloud = mockedCloud();
  let pdf: Buffer = Buffer.alloc(0);
  let ids = 0;

  beforeAll(async () => {
    pdf = await pdfLibPdf();
  });

  beforeEach(() => {
    seed(cloud.table).campaign(campaign);
  });

  const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
  const store = () => new DynamoLevelDocuments(documentClient(), TABLE);
  const reviewer = { kind: 'signed-in' as const, principal: PEOPLE.yanbianReviewer };
  const desk = () => {
    const client = documentClient();
    return new LevelDocumentDesk({
      documents: store(),
      uploads: { presignUpload: async ({ key }) => ({ url: 'https://bucket.example/', fields: { key } }) },
      campaigns: { get: async () => campaign },
      records: new DynamoRecords(client, TABLE),
      reviews: new DynamoReviews(client, TABLE),
      quotas: new DynamoQuotas(client, TABLE),
      clock: () => now,
      newId,
    });
  };
  const reviewDesk = () => makeDesk(() => now, [campaign], { levelDocuments: store() });
  const gateDeps = (): GateDeps => {
    const client = documentClient();
    return {
      reviews: new DynamoReviews(client, TABLE),
      records: new DynamoRecords(client, TABLE),
      campaigns: { get: async () => campaign },
      quotas: new DynamoQuotas(client, TABLE),
      tasks: new SfnTaskControl(new SFNClient({})),
      levelDocuments: store(),
      panels: new NoPanels(),
      clock: () => now,
      newId,
      mailer: new SesMailer(new SESv2Client({}), SENDER),
      publicBaseUrl: `${BASE_URL}/`,
    };
  };

  return {
    /** This test's table (a fresh one each test). */
    get table() {
      return cloud.table;
    },
    /** A PDF the validator accepts. */
    get pdf() {
      return pdf;
    },
    store,
    desk,
    gateDeps,
    /** 延边州's reviewer, signed in: the level's own filer. */
    reviewer,
    /**
     * Asks for an upload of `request` (sized as the PDF) for `level` as the level's reviewer, and
     * puts the PDF in `objects` under the key it was given, as the browser's POST would.
     */
    file: async (objects: Map<string, Buffer>, level: Level, request: Record<string, unknown>) => {
      const requested = await desk().request(reviewer, level, { ...request, size: pdf.length });
      objects.set(requested.objectKey, pdf);
      return requested;
    },
    /** The S3 event of the PDF's upload under `key`. */
    uploadEvent: (key: string, sequencer = '0A1B') => ({
      key,
      size: pdf.length,
      sequencer,
      eventTime: now.toISOString(),
    }),
    /** The validator's deps over `storage`; a VALID document of its track's letter kind runs the gate, as composed. */
    checkDeps: (storage: EvidenceObjects): LevelDocumentCheckDeps => {
      const gate = gateDeps();
      return {
        documents: store(),
        storage,
        clock: () => now,
        log: () => undefined,
        onFiled: async (document) => {
          if (document.kind !== letterKindFor(document.track)) return;
          await completeWaitingLetterSteps(gate, document);
        },
      };
    },
    /** The review desk, with the level documents to gate its steps on. */
    reviewDesk,
    /** The review approved by hand, through its link (SECRET), on that desk. */
    approveByHand: (r: ReviewRecord) =>
      reviewDesk().decide(r.reviewId, { kind: 'link', secret: SECRET }, { decision: 'approve' }),
    /** The summary table's deps, with `generate` as the level's table; the keys it stored. */
    summaryDeps: (generate: SummaryDeps['generate']) => {
      const stored: string[] = [];
      const deps: SummaryDeps = {
        documents: store(),
        storage: {
          put: async (key) => {
            stored.push(key);
            return { versionId: 'sv1' };
          },
        },
        generate,
        clock: () => now,
        log: () => undefined,
      };
      return { deps, stored };
    },
    /** The bucket the validator reads: one object per key, read as an S3 body stream; what it quarantined. */
    bucket: (objects: Map<string, Buffer>) => {
      const quarantined: string[] = [];
      const storage: EvidenceObjects = {
        open: async (key) => {
          const bytes = objects.get(key);
          if (!bytes) return undefined;
          return {
            body: (async function* () {
              yield bytes;
            })(),
            contentType: 'application/pdf',
            versionId: 'v1',
          };
        },
        quarantine: async (key) => {
          quarantined.push(key);
          return true;
        },
      };
      return { storage, quarantined };
    },
    /** Waiting reviews with their applications (CITY_REVIEW, of the review's campaign and track). */
    seedWaiting: async (...reviews: ReviewRecord[]) => {
      for (const r of reviews) {
        seed(cloud.table).application(
          application(now, {
            applicationId: r.applicationId,
            campaignId: r.campaignId,
            track: r.track,
            status: 'CITY_REVIEW',
          }),
        );
        await new DynamoReviews(documentClient(), TABLE).createReview(r);
      }
    },
    /** A city review waiting at its formal-letter step (index 1 of its sequence), of `campaign`. */
    letterStep: (applicationId: string, overrides: Partial<ReviewRecord> = {}): ReviewRecord => {
      const step = { index: 1, kind: 'formal-letter' as const };
      const base = review(now, { applicationId, step, campaignId: campaign.campaignId, ...overrides });
      return {
        ...base,
        reviewId: reviewIdOf({ applicationId, stage: base.stage, revision: base.revision, round: base.round, step }),
        taskToken: `token-${applicationId}`,
      };
    },
    storedReview: (r: ReviewRecord) => cloud.table.get(`APP#${r.applicationId}`, `REVIEW#${r.reviewId}`),
    /** The task tokens sent back to Step Functions as successes. */
    successes: () => cloud.sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input.taskToken),
  };
}
