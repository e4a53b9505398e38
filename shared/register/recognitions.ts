/**
 * The pipeline's own recognitions in the register: the Recognize task enters each one (a retried
 * task finds the natural key written and writes nothing), and a migration enters those recognised
 * before the register existed. Only the recommendation track is recognised: a typical case is
 * selected or not and never enters the register; a re-review's outcome moves the cohort's
 * existing entry (the re-review's own work), it does not add one.
 */
import type { Clock } from '../ports/core.ts';
import type { AddOutcome, RecognizedApplications, RegisterStore } from '../ports/register.ts';
import { beijingDate } from '../platform/time.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { MigrationReport } from './api-schemas.ts';
import { type RegisterEntry, registerEntryId, type RegisterSource, provinceOf } from './entry.ts';

/** The entry a recognised application makes: national, of its campaign's year. */
export function entryOfRecognition(
  application: ApplicationRecord,
  cohort: number,
  source: Extract<RegisterSource, { kind: 'pipeline' | 'migration' }>['kind'],
  now: Date,
): RegisterEntry | undefined {
  if (application.track !== 'recommendation' || application.status !== 'RECOGNIZED') return undefined;
  const recognizedAt = application.recognizedAt ?? application.updatedAt;
  const validFrom = beijingDate(recognizedAt);
  const validUntil = application.validUntil ? beijingDate(application.validUntil) : validFrom;
  const at = now.toISOString();
  const level = 'national';
  return {
    entryId: registerEntryId({
      level,
      cohort,
      countyCode: application.countyCode,
      clusterName: application.clusterName,
    }),
    clusterName: application.clusterName,
    countyCode: application.countyCode,
    provinceCode: provinceOf(application.countyCode),
    leadingIndustry: application.leadingIndustry,
    subSector: application.subSector,
    level,
    cohort,
    validFrom,
    validUntil,
    state: 'valid',
    history: [
      {
        at: source === 'pipeline' ? recognizedAt : at,
        by: source === 'pipeline' ? 'workflow' : 'migration',
        to: 'valid',
        reason:
          source === 'pipeline'
            ? `recognised by the pipeline (application ${application.applicationId})`
            : `recognised by the pipeline before the register existed (application ${application.applicationId})`,
      },
    ],
    source: { kind: source, applicationId: application.applicationId, campaignId: application.campaignId },
    revision: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The entry a province's own recognition makes (level provincial, of its campaign's year): at the
 * province for an application that ends there (PROVINCIALLY_RECOGNIZED), or for a national
 * candidate when its province's last step is done, before the province forwards it to MIIT (one
 * pass for both lists: Jilin, Shanxi).
 */
export function entryOfProvincialRecognition(
  application: ApplicationRecord,
  list: { cohort: number; validityYears: number },
  now: Date,
): RegisterEntry | undefined {
  if (application.track !== 'recommendation') return undefined;
  const level = 'provincial';
  const at = now.toISOString();
  const recognizedAt = application.status === 'PROVINCIALLY_RECOGNIZED' ? (application.recognizedAt ?? at) : at;
  const until = new Date(recognizedAt);
  until.setUTCFullYear(until.getUTCFullYear() + list.validityYears);
  const validUntil =
    application.status === 'PROVINCIALLY_RECOGNIZED' && application.validUntil
      ? application.validUntil
      : until.toISOString();
  return {
    entryId: registerEntryId({
      level,
      cohort: list.cohort,
      countyCode: application.countyCode,
      clusterName: application.clusterName,
    }),
    clusterName: application.clusterName,
    countyCode: application.countyCode,
    provinceCode: provinceOf(application.countyCode),
    leadingIndustry: application.leadingIndustry,
    subSector: application.subSector,
    level,
    cohort: list.cohort,
    validFrom: beijingDate(recognizedAt),
    validUntil: beijingDate(validUntil),
    state: 'valid',
    history: [
      {
        at: recognizedAt,
        by: 'workflow',
        to: 'valid',
        reason:
          application.status === 'PROVINCIALLY_RECOGNIZED'
            ? `recognised on the province's own list (application ${application.applicationId})`
            : `recognised on the province's own list, a national candidate its province forwards to MIIT (application ${application.applicationId})`,
      },
    ],
    source: { kind: 'pipeline', applicationId: application.applicationId, campaignId: application.campaignId },
    revision: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** What the Recognize task needs to enter its recognition (national, or on a province's own list). */
export interface RecognitionRegister {
  enterRecognition(application: ApplicationRecord): Promise<AddOutcome | undefined>;
  enterProvincialRecognition(
    application: ApplicationRecord,
    list: { cohort: number; validityYears: number },
  ): Promise<AddOutcome | undefined>;
  /** The application's entry on its province's list of `cohort`, as the register holds it. */
  provincialRecognitionOf(application: ApplicationRecord, cohort: number): Promise<RegisterEntry | undefined>;
}

/** The cohort of an application: its campaign's year. */
export type CohortOf = (campaignId: string) => Promise<number>;

export interface RecognitionDeps {
  register: Pick<RegisterStore, 'add' | 'get'>;
  cohortOf: CohortOf;
  clock: Clock;
}

/** Enters a recognition (undefined: not one the register holds, such as a re-review). */
export function recognitionRegister(deps: RecognitionDeps): RecognitionRegister {
  return {
    async enterRecognition(application) {
      if (application.track !== 'recommendation') return undefined;
      const entry = entryOfRecognition(
        application,
        await deps.cohortOf(application.campaignId),
        'pipeline',
        deps.clock(),
      );
      return entry && deps.register.add(entry);
    },
    async enterProvincialRecognition(application, list) {
      const entry = entryOfProvincialRecognition(application, list, deps.clock());
      return entry && deps.register.add(entry);
    },
    provincialRecognitionOf(application, cohort) {
      const { countyCode, clusterName } = application;
      return deps.register.get(registerEntryId({ level: 'provincial', cohort, countyCode, clusterName }));
    },
  };
}

export interface MigrationDeps extends RecognitionDeps {
  applications: RecognizedApplications;
}

/**
 * The migration (issue 13, item 6): an entry for every application already RECOGNIZED on the
 * recommendation track that has none. Idempotent: run twice, the second run creates nothing.
 */
export async function migrateRecognized(deps: MigrationDeps): Promise<MigrationReport> {
  const applications = await deps.applications.recognized();
  const report: MigrationReport = { recognized: applications.length, created: 0, existing: 0, skipped: 0 };
  const cohorts = new Map<string, number>();
  for (const application of applications) {
    if (application.track !== 'recommendation') {
      report.skipped++;
      continue;
    }
    let cohort = cohorts.get(application.campaignId);
    if (cohort === undefined) {
      cohort = await deps.cohortOf(application.campaignId);
      cohorts.set(application.campaignId, cohort);
    }
    const entry = entryOfRecognition(application, cohort, 'migration', deps.clock());
    if (!entry) continue;
    report[await deps.register.add(entry)]++;
  }
  return report;
}
