import { randomUUID } from 'node:crypto';
import { DynamoNoticeBoard } from '../adapters/dynamo-notice-board.ts';
import { DynamoPanels } from '../adapters/dynamo-panel.ts';
import { PanelDesk } from '../review/panel/desk.ts';
import { LevelDocumentDesk } from '../review/level-documents/desk.ts';
import { levelDocuments } from './level-documents.ts';
import { DynamoQuotas } from '../adapters/dynamo-quota.ts';
import { ObjectionItems } from '../adapters/dynamo-reviews/objections.ts';
import { NoticeDesk } from '../notice/desk.ts';
import { requestLimiter } from './limits.ts';
import { DynamoReviews } from '../adapters/dynamo-reviews/store.ts';
import { DynamoRegister } from '../adapters/dynamo-register.ts';
import { DynamoRevocations } from '../adapters/dynamo-revocations.ts';
import { RevocationDesk } from '../revocation/desk.ts';
import { S3EvidenceDownloads } from '../adapters/s3-evidence-downloads.ts';
import { S3UploadSigner } from '../adapters/s3-upload-signer.ts';
import { SfnTaskControl } from '../adapters/sfn-task-control.ts';
import type { Clock, Mailer } from '../ports/core.ts';
import type { ObjectionStore } from '../ports/notice.ts';
import type { EvidenceDownloads, OwnEvidencePorts, TaskControl } from '../ports/review.ts';
import type { LevelDocuments, PanelResults } from '../ports/steps.ts';
import { ReviewDesk } from '../review/desk.ts';
import { makeS3Client, makeSfnClient } from './clients.ts';
import { campaignCatalog, linkKeys, records, type TableAccess, tableAccess } from './core.ts';
import { mailer } from './mail.ts';
import { systemClock } from './clock.ts';
import { ENV, type Env, readEnv, required } from './env.ts';

/**
 * The review desk: TABLE_NAME, SENDER_EMAIL and PUBLIC_BASE_URL are required (links go to the
 * reviewer directory's addresses only, never a guessed one); the link key comes from LINK_KEY_SECRET_ARN or
 * LINK_KEY_FILE, the mailer from MAILER. `evidence` (download links from the reviews function's
 * BUCKET_NAME) is built by wireReviews alone: the workflow's RequestReview task and the sweeper
 * only open reviews and reissue links, so their bundles carry no S3 client. Step Functions
 * (`tasks`) likewise comes from the caller: the sweeper never hands a decision to a workflow.
 */
export function reviewDesk(
  env: Env,
  table: TableAccess,
  tasks: TaskControl,
  options: {
    evidence?: EvidenceDownloads;
    ownEvidence?: OwnEvidencePorts;
    objections?: ObjectionStore;
    clock?: Clock;
    mailer?: Mailer;
    panels?: PanelResults;
    levelDocuments?: LevelDocuments;
  } = {},
): ReviewDesk {
  required(env, ENV.senderEmail);
  return new ReviewDesk({
    reviews: new DynamoReviews(table.documents, table.table),
    records: records(table),
    campaigns: campaignCatalog(table),
    quotas: new DynamoQuotas(table.documents, table.table),
    panels: options.panels ?? panelResults(table),
    tasks,
    levelDocuments: options.levelDocuments ?? levelDocuments(table),
    mailer: options.mailer ?? mailer(env),
    linkKeys: linkKeys(env),
    publicBaseUrl: required(env, ENV.publicBaseUrl),
    ...(options.evidence && { evidence: options.evidence }),
    ...(options.ownEvidence && { ownEvidence: options.ownEvidence }),
    ...(options.objections && { objections: options.objections }),
    clock: options.clock ?? systemClock,
  });
}

/**
 * The reviews function: links, decisions, the inbox, withdrawal, cancellation, and the review
 * page's uploader for the city's own items (it presigns them: see the route table); the public
 * notice and its objections; the per-client limits on all of them. One document client, one S3
 * client and one mailer.
 */
export function wireReviews(env: Env = readEnv()) {
  const s3 = makeS3Client(env);
  const bucket = required(env, ENV.bucketName);
  const table = tableAccess(env);
  const evidence = new S3EvidenceDownloads(s3, bucket);
  const ownEvidence = { records: records(table), uploads: new S3UploadSigner(s3, bucket) };
  const objections = new ObjectionItems({ client: table.documents, tableName: table.table });
  const mail = mailer(env);
  const campaigns = campaignCatalog(table);
  const tasks = new SfnTaskControl(makeSfnClient());
  return {
    desk: reviewDesk(env, table, tasks, {
      evidence,
      ownEvidence,
      objections,
      mailer: mail,
    }),
    levelDocuments: {
      desk: new LevelDocumentDesk({
        documents: levelDocuments(table),
        uploads: ownEvidence.uploads,
        campaigns,
        records: ownEvidence.records,
        reviews: new DynamoReviews(table.documents, table.table),
        quotas: new DynamoQuotas(table.documents, table.table),
        linkKeys: linkKeys(env),
        clock: systemClock,
        newId: randomUUID,
      }),
      campaigns,
      uploads: ownEvidence.uploads,
    },
    revocations: revocationDesk(env, table, tasks, mail),
    lapseBackfill: {
      reviews: new DynamoReviews(table.documents, table.table),
      records: records(table),
      clock: systemClock,
    },
    notice: noticeDesk(env, table, mail),
    panel: panelDesk(env, table, mail, evidence),
    limiter: requestLimiter(env, table),
  };
}

/**
 * The expert panel (专家评审): seats, declarations, scores and closing, in the one table; seat
 * links hashed under the same link key as review links. Its DynamoPanels is also the review
 * desk's PanelResults (the expert-panel step's gate).
 */
export function panelDesk(
  env: Env,
  table: TableAccess,
  mail: Mailer,
  evidence?: EvidenceDownloads,
  clock: Clock = systemClock,
): PanelDesk {
  return new PanelDesk({
    panels: new DynamoPanels(table.documents, table.table),
    reviews: new DynamoReviews(table.documents, table.table),
    records: records(table),
    campaigns: campaignCatalog(table),
    mailer: mail,
    linkKeys: linkKeys(env),
    publicBaseUrl: required(env, ENV.publicBaseUrl),
    ...(evidence && { evidence }),
    clock,
  });
}

/** The expert panel's results (PanelResults, shared/ports/steps.ts), for the desk's expert-panel gate. */
export const panelResults = (table: TableAccess) => new DynamoPanels(table.documents, table.table);

/**
 * Cancellation for false information (shared/revocation/): its requests, and what a confirmation
 * touches: the application's ending (as an operator's cancellation), the register entry, the mail.
 */
export function revocationDesk(
  env: Env,
  table: TableAccess,
  tasks: TaskControl,
  mail: Mailer,
  clock: Clock = systemClock,
): RevocationDesk {
  // What cancelling an application in flight needs: the same ports the review desk's ending uses.
  const end = {
    reviews: new DynamoReviews(table.documents, table.table),
    records: records(table),
    campaigns: campaignCatalog(table),
    quotas: new DynamoQuotas(table.documents, table.table),
    tasks,
    clock,
    newId: randomUUID,
  };
  return new RevocationDesk({
    revocations: new DynamoRevocations(table.documents, table.table),
    register: new DynamoRegister(table.documents, table.table),
    records: records(table),
    campaigns: campaignCatalog(table),
    end,
    linkKeys: linkKeys(env),
    mailer: mail,
    clock,
    newId: randomUUID,
  });
}

/** The public notice: what is in notice, objections and their triage. */
export function noticeDesk(env: Env, table: TableAccess, mail: Mailer, clock: Clock = systemClock): NoticeDesk {
  return new NoticeDesk({
    board: new DynamoNoticeBoard(table.documents, table.table),
    objections: new ObjectionItems({ client: table.documents, tableName: table.table }),
    records: records(table),
    campaigns: campaignCatalog(table),
    mailer: mail,
    clock,
    publicBaseUrl: required(env, ENV.publicBaseUrl),
  });
}

/** The workflow's RequestReview task: opens reviews and emails links. */
export function wireRequestReview(env: Env = readEnv()) {
  return { desk: reviewDesk(env, tableAccess(env), new SfnTaskControl(makeSfnClient())) };
}

/**
 * For a desk that only reissues links (the sweeper): it never succeeds, fails or stops a task, and
 * has no Step Functions permission, so any call is a wiring mistake, said as such.
 */
const notWired = () =>
  Promise.reject(new Error('This desk was wired without Step Functions (the sweeper only reissues links)'));
export const noTaskControl: TaskControl = { succeed: notWired, fail: notWired, stop: notWired };
