import { randomUUID } from 'node:crypto';
import type { Principal } from '../platform/auth/principal.ts';
import type { JurisdictionDrillDown, OpsSummary, RedriveResult } from '../schemas/ops.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { ExecutionsAdmin, OpsReads } from '../ports/operations.ts';
import { drillDown } from './drill-down.ts';
import { redrive } from './redrive.ts';
import { nationalSummary } from './summary.ts';

/**
 * What operators see: where every application stands, what is late, what failed, how much quota
 * is left. Every read goes through an index or a known key (the ops summary is 4 DynamoDB
 * requests however many applications there are: tallies by province, tallies by deadline day,
 * the late list, the quota counters; plus one for the applications behind failed executions).
 *
 * Operators see by scope (shared/platform/auth/policy.ts `may.watch`): the national board is for national
 * operators; a provincial operator drills down into its own jurisdiction and what lies below it.
 * The board is ./summary.ts, the drill-down ./drill-down.ts, redrive ./redrive.ts.
 */

export interface OpsDeskDeps {
  campaigns: Pick<CampaignCatalog, 'get'>;
  reads: OpsReads;
  executions: ExecutionsAdmin;
  records: Pick<Records, 'appendAudit'>;
  clock: Clock;
  newId?: () => string;
}

export class OpsDesk {
  private readonly newId: () => string;

  constructor(private readonly deps: OpsDeskDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  /** The national board. @throws ForbiddenError unless the principal watches the whole country */
  summary(rawQuery: unknown, principal: Principal): Promise<OpsSummary> {
    return nationalSummary(this.deps, rawQuery, principal);
  }

  /** A provincial-rank jurisdiction, a city or a county: counts one level down, its applications, its quotas. */
  jurisdiction(code: string, rawQuery: unknown, principal: Principal): Promise<JurisdictionDrillDown> {
    return drillDown(this.deps, code, rawQuery, principal);
  }

  /**
   * Restarts a failed execution at its failed step, and notes it in the application's audit trail.
   * @throws ValidationError for a name that is no ladder execution; NotFoundError when its
   *   application does not exist; ForbiddenError unless the principal operates over it
   */
  redrive(executionName: string, principal: Principal, requestId: string): Promise<RedriveResult> {
    return redrive({ ...this.deps, newId: this.newId }, executionName, principal, requestId);
  }
}
