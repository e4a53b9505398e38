/**
 * The revocation desk: a reviewer files a request to cancel a qualification for false information
 * (an application in flight, a recognised application, or a register entry: imported ones too);
 * an operator over that level, or MIIT, confirms or declines it; never the requester. A
 * confirmation claims the request first (conditional on its revision), then applies its effect
 * (./effects.ts), then records what it did: a retried confirmation finishes an effect that failed
 * half-way, and two racing confirmations apply it once.
 */
import * as z from 'zod';
import { assertAllowed, ForbiddenError, liesWithin, may } from '../platform/auth/policy.ts';
import type { Caller, Principal } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { personActor } from '../intake/audit.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import type { Records } from '../ports/core.ts';
import type { RevocationStore } from '../ports/revocation.ts';
import type { LinkKeys } from '../ports/review.ts';
import { assertDecidable, authorize, type DecisionCredentials } from '../review/access.ts';
import { MIIT_CODE } from '../rules/jurisdictions.ts';
import { provinceOf, type RegisterEntry, registerEntryId, STANDING_STATES } from '../register/entry.ts';
import { ENDED_STATUSES } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { applyConfirmed, type EffectDeps, RECOGNISED_STATUSES } from './effects.ts';
import {
  appliedRequest,
  decidedRequest,
  FileRevocationBodySchema,
  LinkRevocationBodySchema,
  openKeyOf,
  type RevocationActor,
  RevocationDecisionBodySchema,
  type RevocationRequest,
  type RevocationTarget,
  RevocationTargetSchema,
} from './request.ts';

/** The body's target alone, read before the rest (the rest is read once the caller may ask). */
const TargetOnlySchema = z.looseObject({ target: RevocationTargetSchema });

export interface RevocationDeskDeps extends EffectDeps {
  /** The review links' key (a link page's request): as the review desk's. */
  linkKeys?: LinkKeys;
  revocations: RevocationStore;
  records: Pick<Records, 'getApplication' | 'saveApplication' | 'appendAudit'>;
  campaigns: Pick<CampaignCatalog, 'get'>;
}

/** What a request is about, resolved: the application and the register entry behind the target. */
interface Resolved {
  application?: ApplicationRecord;
  entry?: RegisterEntry;
  entryId?: string;
  countyCode: string;
  clusterName: string;
}

const actorOf = ({ principal }: Caller): RevocationActor => ({
  sub: principal.sub,
  role: principal.role,
  jurisdiction: principal.jurisdiction,
  ...(principal.name !== undefined && { name: principal.name }),
});

const ended = (what: string, status: string) =>
  new ConflictError('ALREADY_ENDED', `${what} is already ${status}: there is nothing to cancel`, [
    { field: 'target', code: 'ALREADY_ENDED', message: `已终结（${status}） / already ${status}` },
  ]);

export class RevocationDesk {
  constructor(private readonly deps: RevocationDeskDeps) {}

  /** The register entry a recognised application made (national, or a province's own list). */
  private async entryIdOf(application: ApplicationRecord): Promise<string> {
    const { year } = await this.deps.campaigns.get(application.campaignId);
    return registerEntryId({
      level: application.status === 'PROVINCIALLY_RECOGNIZED' ? 'provincial' : 'national',
      cohort: year,
      countyCode: application.countyCode,
      clusterName: application.clusterName,
    });
  }

  private async resolve(target: RevocationTarget): Promise<Resolved> {
    if (target.kind === 'entry') {
      const entry = await this.deps.register.get(target.entryId);
      if (!entry) throw new NotFoundError(`register entry ${target.entryId} not found`);
      const applicationId =
        entry.source.kind === 'pipeline' || entry.source.kind === 'migration' ? entry.source.applicationId : undefined;
      const application = applicationId ? await this.deps.records.getApplication(applicationId) : undefined;
      return {
        entry,
        entryId: entry.entryId,
        countyCode: entry.countyCode,
        clusterName: entry.clusterName,
        ...(application && { application }),
      };
    }
    const application = await this.deps.records.getApplication(target.applicationId);
    if (!application) throw new NotFoundError(`No application ${target.applicationId}`);
    const base = { application, countyCode: application.countyCode, clusterName: application.clusterName };
    if (!RECOGNISED_STATUSES.has(application.status)) return base;
    const entryId = await this.entryIdOf(application);
    const entry = await this.deps.register.get(entryId);
    return { ...base, ...(entry && { entry, entryId }) };
  }

  /** A reviewer files a request: 201 with it, or 200 with the same request filed again by the same person. */
  async file(caller: Caller, body: unknown): Promise<{ request: RevocationRequest; created: boolean }> {
    const { principal } = caller;
    // The target first: who may ask depends on where the cluster is; the rest is read once they may.
    const { target } = parseOrThrow(TargetOnlySchema, body ?? {});
    const resolved = await this.resolve(target);
    assertAllowed(may.requestRevocation(principal, resolved), 'requestRevocation', principal);
    const { reason, evidenceNote } = parseOrThrow(FileRevocationBodySchema, body);
    const { application, entry } = resolved;
    if (entry && !STANDING_STATES.has(entry.state)) throw ended('the register entry', entry.state);
    if (!entry && application && ENDED_STATUSES.has(application.status) && !RECOGNISED_STATUSES.has(application.status))
      throw ended('the application', application.status);
    const request: RevocationRequest = {
      requestId: this.deps.newId(),
      target,
      ...(application && { applicationId: application.applicationId }),
      ...(resolved.entryId !== undefined && { entryId: resolved.entryId }),
      phase: entry || (application && RECOGNISED_STATUSES.has(application.status)) ? 'recognised' : 'in-flight',
      clusterName: resolved.clusterName,
      countyCode: resolved.countyCode,
      provinceCode: provinceOf(resolved.countyCode),
      levelCode: principal.jurisdiction,
      reason,
      ...(evidenceNote && { evidenceNote }),
      requestedBy: actorOf(caller),
      requestedAt: this.deps.clock().toISOString(),
      state: 'requested',
      revision: 0,
    };
    const outcome = await this.deps.revocations.file(request, openKeyOf(request));
    if (!outcome.filed) {
      const open = outcome.openRequestId ? await this.deps.revocations.get(outcome.openRequestId) : undefined;
      // The same person sending the same request again (a retry): the one already filed.
      if (open && open.requestedBy.sub === principal.sub && open.reason === reason)
        return { request: open, created: false };
      throw new ConflictError('REVOCATION_OPEN', 'this cluster already has an open cancellation request', [
        {
          field: 'target',
          code: 'REVOCATION_OPEN',
          message: '该集群已有待确认的取消资格申请 / a request is already open',
          requestId: outcome.openRequestId,
        },
      ]);
    }
    if (application) await this.audit(request, caller, 'REVOCATION_REQUESTED', reason);
    return { request, created: true };
  }

  /**
   * From a review's link page: the holder of the link (or the signed-in reviewer whose stage it
   * is) asks about the review's application, as a reviewer of the review's jurisdiction. A link
   * holder is named `link-<reviewId>`: the link is the capability, not a person's account.
   */
  async fileFromReview(
    reviewId: string,
    credentials: DecisionCredentials,
    body: unknown,
    requestId: string,
  ): Promise<{ request: RevocationRequest; created: boolean }> {
    const review = await authorize(
      { reviews: this.deps.end.reviews, linkKeys: this.deps.linkKeys },
      reviewId,
      credentials,
    );
    assertDecidable(this.deps, review);
    const principal: Principal =
      credentials.kind === 'reviewer'
        ? credentials.principal
        : { sub: `link-${review.reviewId}`, role: 'reviewer', jurisdiction: review.jurisdictionCode };
    const { reason, evidenceNote } = parseOrThrow(LinkRevocationBodySchema, body ?? {});
    return this.file(
      { principal, requestId },
      {
        target: { kind: 'application', applicationId: review.applicationId },
        reason,
        ...(evidenceNote && { evidenceNote }),
      },
    );
  }

  /** The requests the person may see: those of levels within their jurisdiction, and their own. */
  async list(principal: Principal): Promise<RevocationRequest[]> {
    assertAllowed(may.revocationsAny(principal), 'revocationsAny', principal);
    const all = await this.deps.revocations.list();
    return all.filter(
      (r) =>
        r.requestedBy.sub === principal.sub ||
        principal.jurisdiction === MIIT_CODE ||
        liesWithin(r.levelCode, principal.jurisdiction),
    );
  }

  /** Confirms or declines; a decision already taken is answered again (the same one) or refused (the other). */
  async decide(requestId: string, body: unknown, caller: Caller): Promise<RevocationRequest> {
    const { principal } = caller;
    for (let attempt = 0; attempt < 5; attempt++) {
      const request = await this.deps.revocations.get(requestId);
      if (!request) throw new NotFoundError(`No revocation request ${requestId}`);
      if (request.requestedBy.sub === principal.sub) {
        throw new ForbiddenError('The requester may not decide their own request: a second person confirms', [
          {
            field: 'requestedBy',
            code: 'OWN_REQUEST',
            message: '申请人不能确认本人的申请 / the requester cannot decide their own request',
          },
        ]);
      }
      assertAllowed(may.decideRevocation(principal, request), 'decideRevocation', principal);
      const { decision, reason } = parseOrThrow(RevocationDecisionBodySchema, body ?? {});
      const to = decision === 'confirm' ? 'confirmed' : 'declined';
      if (request.state === to) return to === 'confirmed' && !request.effect ? this.finish(request, caller) : request;
      const next = await this.withCurrentEntry(
        decidedRequest(request, {
          to,
          by: actorOf(caller),
          at: this.deps.clock().toISOString(),
          ...(reason && { reason }),
        }),
      );
      if (!(await this.deps.revocations.replace(next, request.revision, openKeyOf(request)))) continue;
      if (to === 'declined') {
        if (next.applicationId) await this.audit(next, caller, 'REVOCATION_DECLINED', reason ?? '');
        return next;
      }
      return this.finish(next, caller);
    }
    throw new ConflictError('REVOCATION_BUSY', `revocation request ${requestId} kept changing: try again`);
  }

  /**
   * A request filed in flight whose application was recognised before the confirmation: it now
   * revokes the entry the recognition made.
   */
  private async withCurrentEntry(request: RevocationRequest): Promise<RevocationRequest> {
    if (request.state !== 'confirmed' || request.entryId !== undefined || !request.applicationId) return request;
    const application = await this.deps.records.getApplication(request.applicationId);
    if (!application || !RECOGNISED_STATUSES.has(application.status)) return request;
    const entryId = await this.entryIdOf(application);
    return (await this.deps.register.get(entryId)) ? { ...request, entryId, phase: 'recognised' } : request;
  }

  /** Applies the confirmed request's effect and records it (conditionally: a racing finisher records it once). */
  private async finish(request: RevocationRequest, caller: Caller): Promise<RevocationRequest> {
    const effect = await applyConfirmed(this.deps, request, caller);
    const applied = appliedRequest(request, effect);
    if (await this.deps.revocations.replace(applied, request.revision)) return applied;
    return (await this.deps.revocations.get(request.requestId)) ?? applied;
  }

  private async audit(
    request: RevocationRequest,
    caller: Caller,
    action: 'REVOCATION_REQUESTED' | 'REVOCATION_DECLINED',
    reason: string,
  ): Promise<void> {
    if (!request.applicationId) return;
    const { principal, requestId } = caller;
    await this.deps.records.appendAudit({
      applicationId: request.applicationId,
      eventId: this.deps.newId(),
      at: this.deps.clock().toISOString(),
      action,
      ...personActor(principal),
      requestId,
      reason,
      detail: {
        revocationRequest: request.requestId,
        ...(request.entryId !== undefined && { registerEntry: request.entryId }),
      },
    });
  }
}
