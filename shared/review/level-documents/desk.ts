/**
 * The level documents as the reviews function serves them: who files (a signed-in reviewer or
 * operator of the level; a review link of that level while its review waits), upload links, what
 * the level filed, and what its waiting steps need (the page).
 */
import type { Principal } from '../../platform/auth/principal.ts';
import type { LevelDocumentKind } from '../../ports/steps.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { assertDecidable, authorize, type DecisionCredentials } from '../access.ts';
import type { Quotas } from '../../ports/quotas.ts';
import type { DeskDeps } from '../deps.ts';
import { fullQuotaOfReview, usageReadOnce } from '../quota-full.ts';
import {
  assertMayFile,
  type Filer,
  type FilingDeps,
  type Level,
  levelOfReview,
  listLevelDocuments,
  requestLevelDocumentUpload,
} from './filing.ts';
import { documentsNeededBy, type LevelDocumentRecord } from './records.ts';

export type LevelDocumentDeskDeps = FilingDeps &
  Pick<DeskDeps, 'reviews' | 'linkKeys'> & {
    /** The quota a waiting step's approval would take: a formal letter does not complete it over a full one. */
    quotas: Pick<Quotas, 'usage'>;
  };

/** A waiting review of the level and the documents its step needs. */
export interface WaitingStep {
  review: ReviewRecord;
  needs: LevelDocumentKind[];
  /** Whether every document it needs is VALID already. */
  met: boolean;
  /** The full quota's refusal its approval would meet (the review page's words): filing does not complete it. */
  quotaFull?: string;
}

export class LevelDocumentDesk {
  constructor(private readonly deps: LevelDocumentDeskDeps) {}

  /** Whose credentials on a review's route: the link stands for its level while the review waits. */
  async filerOfReview(reviewId: string, credentials: DecisionCredentials): Promise<{ filer: Filer; level: Level }> {
    const review = await authorize(this.deps, reviewId, credentials);
    assertDecidable(this.deps, review);
    const level = levelOfReview(review);
    const filer: Filer =
      credentials.kind === 'reviewer'
        ? { kind: 'signed-in', principal: credentials.principal }
        : { kind: 'link', review };
    assertMayFile(filer, level);
    return { filer, level };
  }

  request(filer: Filer, level: Level, body: unknown) {
    return requestLevelDocumentUpload(this.deps, filer, level, body);
  }

  list(filer: Filer, level: Level) {
    return listLevelDocuments(this.deps, filer, level);
  }

  /** The level's documents and its reviews waiting at a step that needs one (the console page). */
  async overview(
    principal: Principal,
    level: Level,
  ): Promise<{ documents: LevelDocumentRecord[]; waiting: WaitingStep[] }> {
    const filer: Filer = { kind: 'signed-in', principal };
    const documents = await listLevelDocuments(this.deps, filer, level);
    const pending = await this.deps.reviews.listPending(level.jurisdictionCode);
    const reads = { ...this.deps, quotas: usageReadOnce(this.deps.quotas) };
    const waiting = await Promise.all(
      pending
        .filter((r) => r.campaignId === level.campaignId && r.track === level.track && documentsNeededBy(r).length > 0)
        .map(async (review): Promise<WaitingStep> => {
          const needs = documentsNeededBy(review);
          const met = needs.every((kind) => documents.some((d) => d.kind === kind && d.status === 'VALID'));
          const quotaFull = await fullQuotaOfReview(reads, review);
          return { review, needs, met, ...(quotaFull !== undefined && { quotaFull }) };
        }),
    );
    return { documents, waiting };
  }
}
