/**
 * The register desk: what a signed-in person may see of the register (filters and counts), an
 * operator's import of a list, and the migration of earlier recognitions. Every entry shown lies
 * within the person's jurisdiction; a county official sees the county's own.
 */
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller, Principal } from '../platform/auth/principal.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { RecognizedApplications, RegisterStore } from '../ports/register.ts';
import { MIIT_CODE } from '../rules/jurisdictions.ts';
import {
  type ImportReport,
  type MigrationReport,
  RegisterFilterSchema,
  type RegisterView,
  type ShownEntry,
} from './api-schemas.ts';
import { dueFor } from './due.ts';
import { lapsedAt, type RegisterEntry, provinceOf } from './entry.ts';
import { importList } from './import.ts';
import { type CohortOf, migrateRecognized } from './recognitions.ts';
import { migrateTypicalCases } from './typical-migration.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { EntryFilings } from '../ports/register.ts';
import type { Campaign } from '../rules/campaign.ts';
import { CohortQuerySchema, cohortOfCampaign, type CohortView, cohortView } from './cohort.ts';
import { recordDecision } from './decisions.ts';
import { inCohort } from './eligibility.ts';

export interface RegisterDeskDeps {
  register: Pick<RegisterStore, 'add' | 'get' | 'replace' | 'ofProvince' | 'ofCounty' | 'all'>;
  applications: RecognizedApplications;
  /** The migration of typical cases rewrites their records (typical-migration.ts). */
  records: Pick<Records, 'getApplication' | 'saveApplication'>;
  newId: () => string;
  /** The re-review cohort's filings, and the campaign naming the cohort (./cohort.ts). */
  filings?: EntryFilings;
  campaigns?: (campaignId: string) => Promise<Campaign | undefined>;
  cohortOf: CohortOf;
  clock: Clock;
}

const countBy = <K extends string>(entries: readonly ShownEntry[], key: (e: ShownEntry) => K) =>
  entries.reduce<Partial<Record<K, number>>>((counts, entry) => {
    const k = key(entry);
    counts[k] = (counts[k] ?? 0) + 1;
    return counts;
  }, {});

/** Newest cohort first, then province, county and name. */
const byListOrder = (a: RegisterEntry, b: RegisterEntry) =>
  b.cohort - a.cohort ||
  a.provinceCode.localeCompare(b.provinceCode) ||
  a.countyCode.localeCompare(b.countyCode) ||
  a.clusterName.localeCompare(b.clusterName, 'zh');

export class RegisterDesk {
  constructor(private readonly deps: RegisterDeskDeps) {}

  /** The entries the person may see, within their scope: one partition when it is one province or county. */
  private async visible(principal: Principal, province?: string): Promise<RegisterEntry[]> {
    if (principal.role === 'applicant') return this.deps.register.ofCounty(principal.jurisdiction);
    const scope = principal.jurisdiction === MIIT_CODE ? province : provinceOf(principal.jurisdiction);
    const entries = scope ? await this.deps.register.ofProvince(scope) : await this.deps.register.all();
    return entries.filter((entry) => may.seeRegister(principal, entry.countyCode));
  }

  async view(principal: Principal, query: unknown): Promise<RegisterView> {
    const filter = parseOrThrow(RegisterFilterSchema, query, 'query');
    const now = this.deps.clock();
    const shown: ShownEntry[] = (await this.visible(principal, filter.province)).sort(byListOrder).map((entry) => {
      return { ...entry, lapsed: lapsedAt(entry, now), due: dueFor(entry, now) };
    });
    const entries = shown.filter(
      (e) =>
        (filter.province === undefined || e.provinceCode === filter.province) &&
        (filter.cohort === undefined || e.cohort === filter.cohort) &&
        (filter.state === undefined || e.state === filter.state) &&
        (filter.level === undefined || e.level === filter.level),
    );
    return {
      filter,
      entries,
      counts: {
        total: shown.length,
        byProvince: countBy(shown, (e) => e.provinceCode) as Record<string, number>,
        byCohort: countBy(shown, (e) => String(e.cohort)) as Record<string, number>,
        byState: countBy(shown, (e) => e.state),
      },
    };
  }

  /**
   * Imports a list. A national operator imports any; a provincial operator only rows of its own
   * province (the others are refused row by row, `outside_scope`).
   */
  async import(caller: Caller, body: unknown): Promise<ImportReport> {
    const { principal } = caller;
    assertAllowed(
      principal.role === 'operator' && may.keepRegister(principal, principal.jurisdiction),
      'keepRegister',
      principal,
    );
    const register = {
      get: (entryId: string) => this.deps.register.get(entryId),
      add: async (entry: RegisterEntry) => this.deps.register.add(entry),
    };
    return importList(
      { register, clock: this.deps.clock, inScope: (provinceCode) => may.keepRegister(principal, provinceCode) },
      body,
      `${principal.role}:${principal.sub}`,
    );
  }

  /** The re-review cohort of a campaign, in the person's scope (./cohort.ts). */
  async cohort(principal: Principal, query: unknown): Promise<CohortView> {
    const { campaignId, province } = parseOrThrow(CohortQuerySchema, query, 'query');
    const { filings, campaigns } = this.deps;
    if (!filings || !campaigns) throw new Error('This register desk was wired without the cohort’s filings');
    const campaign = await campaigns(campaignId);
    if (!campaign) throw new NotFoundError(`campaign ${campaignId} not found`);
    const cohort = cohortOfCampaign(campaign);
    const entries = (await this.visible(principal, province)).filter((entry) => inCohort(entry, cohort));
    return cohortView(campaign, entries, filings, this.deps.clock());
  }

  /** An operator's decision on an entry: retain, revoke or expire, with a reason (./decisions.ts). */
  async decide(caller: Caller, body: unknown) {
    return recordDecision(this.deps, caller, body);
  }

  /**
   * The migration of records written under the old rules, national operators: typical cases marked
   * recognised become selected (their wrongly made entries revoked), then recognitions made before
   * the register enter it. Both idempotent (docs/typical-cases.md).
   */
  async migrate(caller: Caller): Promise<MigrationReport> {
    const { principal } = caller;
    assertAllowed(may.keepRegister(principal, MIIT_CODE), 'keepRegister', principal);
    const typicalCases = await migrateTypicalCases(
      {
        applications: this.deps.applications,
        records: this.deps.records,
        register: this.deps.register,
        clock: this.deps.clock,
        newId: this.deps.newId,
      },
      `${principal.role}:${principal.sub}`,
    );
    const recognized = await migrateRecognized({
      register: this.deps.register,
      applications: this.deps.applications,
      cohortOf: this.deps.cohortOf,
      clock: this.deps.clock,
    });
    return { ...recognized, typicalCases };
  }
}
