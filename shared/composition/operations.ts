import { DynamoAnnualReports } from '../adapters/dynamo-annual-reports.ts';
import { DynamoRegister } from '../adapters/dynamo-register.ts';
import { ReviewerDirectory } from '../adapters/dynamo-reviews/directory.ts';
import { DynamoListings } from '../adapters/dynamo-listings.ts';
import { DynamoOpsReads } from '../adapters/dynamo-ops.ts';
import { DynamoQuotas } from '../adapters/dynamo-quota.ts';
import { DynamoReminders } from '../adapters/dynamo-reminders.ts';
import { DynamoReviews } from '../adapters/dynamo-reviews/store.ts';
import { DynamoTallies } from '../adapters/dynamo-tallies.ts';
import { SfnExecutions } from '../adapters/sfn-executions.ts';
import { Intake } from '../intake/intake.ts';
import { OpsDesk } from '../operations/desk.ts';
import { Sweeper } from '../operations/sweeper.ts';
import type { SweepLog } from '../ports/operations.ts';
import type { Clock } from '../ports/core.ts';
import { reminderRulesFromEnv } from '../rules/reminders.ts';
import { tokenVerifierFromEnv } from './auth.ts';
import { requestLimiter } from './limits.ts';
import { makeSfnClient } from './clients.ts';
import { campaignCatalog, noWorkflow, records, tableAccess } from './core.ts';
import { mailer } from './mail.ts';
import { systemClock } from './clock.ts';
import { ENV, type Env, readEnv, required } from './env.ts';
import { noTaskControl, reviewDesk } from './review.ts';

/**
 * The ops function: the operators' desk (campaign tallies, the late list, quotas, the ladder's
 * executions), the application history the console shows, the campaigns to choose from, and the
 * console's sign-in settings. One document client serves every read.
 */
export function wireOps(env: Env = readEnv()) {
  const table = tableAccess(env);
  const { documents, table: name } = table;
  const tallies = new DynamoTallies(documents, name);
  const reads = new DynamoOpsReads(documents, name);
  const listings = new DynamoListings(documents, name);
  const quotas = new DynamoQuotas(documents, name);
  const catalog = campaignCatalog(table);
  const applicationRecords = records(table);
  return {
    ops: new OpsDesk({
      campaigns: catalog,
      reads: {
        tallies: (campaignId, kind, within) => tallies.list(campaignId, kind, within),
        late: (campaignId, now, limit) => reads.late(campaignId, now, limit),
        quotaCounters: (campaignId, counters) => reads.quotaCounters(campaignId, counters),
        applications: (ids) => reads.applications(ids),
        applicationsOf: (provincialCode, campaignId) => listings.applicationsOf(provincialCode, campaignId),
        quotaUsage: (campaignId, track, code) => quotas.usage(campaignId, track, code),
      },
      executions: new SfnExecutions(makeSfnClient(), required(env, ENV.stateMachineArn)),
      records: applicationRecords,
      clock: systemClock,
    }),
    intake: new Intake({ records: applicationRecords, workflow: noWorkflow, campaigns: catalog, clock: systemClock }),
    catalog,
    // The board's warning: jurisdictions with reviews waiting and nobody registered to email.
    reviewerGaps: () => new ReviewerDirectory({ client: documents, tableName: name }).missingReviewers(),
    /** Both ways of signing in to the console verify with this; built on first use (only they need AUTH_*). */
    verifier: { verify: (token: string) => tokenVerifierFromEnv().verify(token) },
    /** Per-client limits on signing in: the ops function may write only the limiter's counters. */
    limiter: requestLimiter(env, table),
    /** The identity provider's page for the console's sign-in button; all four or none. */
    provider: {
      authorizeUrl: env[ENV.authAuthorizeUrl],
      tokenUrl: env[ENV.authTokenUrl],
      clientId: env[ENV.authAudience],
      publicBaseUrl: env[ENV.publicBaseUrl],
    },
  };
}

/**
 * The sweeper: TABLE_NAME, SENDER_EMAIL and PUBLIC_BASE_URL are required; REMINDER_*_DAYS are
 * optional. `clock` is for tests (a fake "now").
 */
export function wireSweeper(options: { clock?: Clock; log?: SweepLog } = {}, env: Env = readEnv()) {
  const table = tableAccess(env);
  const { documents, table: name } = table;
  const clock = options.clock ?? systemClock;
  const rules = reminderRulesFromEnv(env);
  const reminders = new DynamoReminders(documents, name, rules.staleClaimMinutes * 60_000);
  // One mailer (one SES client) for the sweeper's own reminders and the links the desk reissues.
  const mail = mailer(env);
  const register = new DynamoRegister(documents, name);
  return {
    sweeper: new Sweeper({
      cohort: { entries: () => register.all(), filings: register },
      campaigns: campaignCatalog(table),
      index: reminders,
      ledger: reminders,
      reviews: new DynamoReviews(documents, name),
      desk: reviewDesk(env, table, noTaskControl, { clock, mailer: mail }),
      tallies: new DynamoTallies(documents, name),
      mailer: mail,
      rules,
      clock,
      publicBaseUrl: required(env, ENV.publicBaseUrl),
      ...(options.log && { log: options.log }),
      annual: { register: new DynamoRegister(documents, name), reports: new DynamoAnnualReports(documents, name) },
    }),
  };
}
