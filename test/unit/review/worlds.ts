import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach } from 'vitest';
import { DynamoLevelDocuments } from '../../../shared/adapters/dynamo-level-documents.ts';
import { DynamoQuotas } from '../../../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { SfnTaskControl } from '../../../shared/adapters/sfn-task-control.ts';
import { NoPanels } from '../../../shared/adapters/unwired-steps.ts';
import type { EvidenceObjects } from '../../../shared/ports/validation.ts';
import { LevelDocumentDesk } from '../../../shared/review/level-documents/desk.ts';
import type { GateDeps } from '../../../shared/review/level-documents/gate.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { type ReviewRecord, reviewIdOf } from '../../../shared/schemas/reviews.ts';
import { pdfLibPdf } from '../../fixtures/files.ts';
import { FakeTable } from './fake-table.ts';
import { application, documentClient, review, seed, TABLE } from './fixtures.ts';

/**
 * What a unit test file runs over when it runs over the table: the SDK clients mocked, a fresh
 * fake table each test (mockedCloud), and the level documents' world on it. Apart from
 * fixtures.ts (data and the desk), because these register the file's hooks.
 */

/**
 * The SDK clients mocked for the test file (or describe block) that calls it, at its top level: it
 * registers a beforeEach there that puts DynamoDB over a fresh FakeTable, Step Functions answering
 * and SES accepting. `emptyTable()` starts a fresh table within a test.
 */
export function mockedCloud() {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  const ddb = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);
  mockClient(SESv2Client).resolves({ MessageId: 'm' });
  let table = new FakeTable();
  const emptyTable = () => {
    table = new FakeTable();
    table.install(ddb);
    return table;
  };

  beforeEach(() => {
    ddb.reset();
    sfn.reset();
    emptyTable();
    sfn.resolves({});
  });

  return {
    ddb,
    sfn,
    /** This test's table. */
    get table() {
      return table;
    },
    emptyTable,
  };
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
    desk: () => {
      const client = documentClient();
      return new LevelDocumentDesk({
        documents: store(),
        uploads: { presignUpload: async ({ key }) => ({ url: 'https://bucket.example/', fields: { key } }) },
        campaigns: { get: async () => campaign },
        records: new DynamoRecords(client, TABLE),
        reviews: new DynamoReviews(client, TABLE),
        clock: () => now,
        newId,
      });
    },
    gateDeps: (): GateDeps => {
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
      };
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
