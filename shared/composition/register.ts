import { randomUUID } from 'node:crypto';
import { DynamoRecords } from '../adapters/dynamo-records/store.ts';
import { DynamoRegister } from '../adapters/dynamo-register.ts';
import { RegisterDesk } from '../register/desk.ts';
import { type CohortOf, recognitionRegister } from '../register/recognitions.ts';
import { rereviewRegister } from '../register/rereview-outcome.ts';
import { systemClock } from './clock.ts';
import { campaignCatalog, type TableAccess, tableAccess } from './core.ts';
import { type Env, readEnv } from './env.ts';
import { wireNotifyingTask, wireRecordsTask } from './ladder.ts';

/** The register of recognised clusters (shared/register/): its table items and the campaigns' years. */

/** A recognition's cohort is its campaign's year. */
const cohortOfCampaign =
  (table: TableAccess): CohortOf =>
  async (campaignId) =>
    (await campaignCatalog(table).get(campaignId)).year;

/** The register function: the entries, imports and the migration. */
export function wireRegister(env: Env = readEnv()) {
  const table = tableAccess(env);
  const register = new DynamoRegister(table.documents, table.table);
  return {
    desk: new RegisterDesk({
      register,
      applications: register,
      records: new DynamoRecords(table.documents, table.table),
      newId: randomUUID,
      cohortOf: cohortOfCampaign(table),
      clock: systemClock,
      filings: register,
      campaigns: (campaignId) => campaignCatalog(table).find(campaignId),
    }),
  };
}

/** EnterStage: the records task, and the register a national candidate's provincial entry goes to. */
export function wireEnterStage(env: Env = readEnv()) {
  const table = tableAccess(env);
  return {
    ...wireRecordsTask(env),
    register: recognitionRegister({
      register: new DynamoRegister(table.documents, table.table),
      cohortOf: cohortOfCampaign(table),
      clock: systemClock,
    }),
  };
}

/** The Recognize task: the ladder's notifying task, and the register its recognition enters. */
export function wireRecognizeTask(env: Env = readEnv()) {
  const table = tableAccess(env);
  const register = new DynamoRegister(table.documents, table.table);
  return {
    ...wireNotifyingTask(env),
    register: recognitionRegister({ register, cohortOf: cohortOfCampaign(table), clock: systemClock }),
    rereview: rereviewRegister({ register, clock: systemClock }),
  };
}
