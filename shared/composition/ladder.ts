import { DynamoQuotas } from '../adapters/dynamo-quota.ts';
import { DynamoRegister } from '../adapters/dynamo-register.ts';
import { rereviewRegister } from '../register/rereview-outcome.ts';
import { ObjectionItems } from '../adapters/dynamo-reviews/objections.ts';
import { ReviewItems } from '../adapters/dynamo-reviews/reviews.ts';
import { ReviewTransitions } from '../adapters/dynamo-reviews/transitions.ts';
import type { ReviewStore } from '../ports/review.ts';
import { campaignCatalog, records, tableAccess } from './core.ts';
import { mailer } from './mail.ts';
import { systemClock } from './clock.ts';
import { type Env, noticeTakeoverMs, readEnv } from './env.ts';

/*
 * The review ladder's task functions, one wiring each: a task that sends no email bundles no SES
 * client, and one that reads no campaign never parses the campaign rules.
 */

/** EnterStage and AwaitResubmission: the application's record and the time. */
export function wireRecordsTask(env: Env = readEnv()) {
  return { records: records(tableAccess(env)), clock: systemClock };
}

/** PrepareRoute: the application and its campaign. */
export function wirePrepareRoute(env: Env = readEnv()) {
  const table = tableAccess(env);
  return { records: records(table), campaigns: campaignCatalog(table) };
}

/** MarkReturned, Recognize, StartPublicNotice: the record, and the applicant's email. */
export function wireNotifyingTask(env: Env = readEnv()) {
  return {
    records: records(tableAccess(env)),
    mailer: mailer(env),
    clock: systemClock,
    noticeTakeoverMs: noticeTakeoverMs(env),
  };
}

/**
 * CloseApplication: the record, its campaign, its quota slot, the applicant's email, and its
 * reviews (one left pending, as when the stage timed out, expires).
 */
export function wireCloseApplication(env: Env = readEnv()) {
  const table = tableAccess(env);
  return {
    records: records(table),
    campaigns: campaignCatalog(table),
    quotas: new DynamoQuotas(table.documents, table.table),
    mailer: mailer(env),
    clock: systemClock,
    noticeTakeoverMs: noticeTakeoverMs(env),
    rereview: rereviewRegister({ register: new DynamoRegister(table.documents, table.table), clock: systemClock }),
    reviews: closingReviews(table),
  };
}

/**
 * The application's reviews as the closing reads and expires them: the review items and their
 * transitions only, not the whole desk's store, whose reviewer directory would bring calls
 * (BatchGetItem) this function is not granted. Both stay in the application's partition (APP#).
 */
function closingReviews(
  table: ReturnType<typeof tableAccess>,
): Pick<ReviewStore, 'listApplicationReviews' | 'expireReview'> {
  const access = { client: table.documents, tableName: table.table };
  const items = new ReviewItems(access);
  const transitions = new ReviewTransitions(access, items);
  return {
    listApplicationReviews: (applicationId) => items.listApplicationReviews(applicationId),
    expireReview: (review, at, reason) => transitions.expireReview(review, at, reason),
  };
}

/** CheckObjections: the objections of the notice and their triage (reads only). */
export function wireCheckObjections(env: Env = readEnv()) {
  const table = tableAccess(env);
  return { objections: new ObjectionItems({ client: table.documents, tableName: table.table }) };
}
