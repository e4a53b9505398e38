import { ConflictError } from '../../../shared/platform/errors.ts';
import type { Email, Mailer, Records } from '../../../shared/ports/core.ts';
import {
  type ApplicationRecord,
  ApplicationRecordSchema,
  type AuditEvent,
  type EvidenceRecord,
} from '../../../shared/schemas/records.ts';
import type { HeldSlot, QuotaHolder, QuotaRequest, Quotas } from '../../../shared/ports/quotas.ts';
import type { ReviewStore } from '../../../shared/ports/review.ts';
import type { ReviewRecord } from '../../../shared/schemas/reviews.ts';

/**
 * In-memory stand-ins with the semantics the domain relies on: saveApplication is conditional on
 * the revision and status read (ConflictError CONCURRENT_CHANGE otherwise), as DynamoRecords is.
 */
export class FakeRecords implements Records {
  readonly applications = new Map<string, ApplicationRecord>();
  readonly evidence: EvidenceRecord[] = [];
  readonly audit: AuditEvent[] = [];
  /** Runs once before the next save's condition is checked: simulates a concurrent writer. */
  beforeNextSave?: () => void;

  put(application: ApplicationRecord): void {
    this.applications.set(application.applicationId, ApplicationRecordSchema.parse(application));
  }

  async createApplication(application: ApplicationRecord, audit: AuditEvent): Promise<void> {
    this.put(application);
    this.audit.push(audit);
  }

  async getApplication(applicationId: string): Promise<ApplicationRecord | undefined> {
    const stored = this.applications.get(applicationId);
    return stored && structuredClone(stored);
  }

  async saveApplication(application: ApplicationRecord, before: ApplicationRecord, audit: AuditEvent): Promise<void> {
    const hook = this.beforeNextSave;
    this.beforeNextSave = undefined;
    hook?.();
    const current = this.applications.get(application.applicationId);
    if (!current || current.revision !== before.revision || current.status !== before.status) {
      throw new ConflictError('CONCURRENT_CHANGE', 'changed meanwhile');
    }
    this.put(application);
    this.audit.push(audit);
  }

  async createEvidence(): Promise<void> {
    throw new Error('not used');
  }

  async getEvidence(applicationId: string, evidenceId: string): Promise<EvidenceRecord | undefined> {
    return this.evidence.find((e) => e.applicationId === applicationId && e.evidenceId === evidenceId);
  }

  async listEvidence(applicationId: string): Promise<EvidenceRecord[]> {
    return this.evidence.filter((e) => e.applicationId === applicationId);
  }

  async recordValidation(): Promise<boolean> {
    throw new Error('not used');
  }

  async claimContentHash(): Promise<string> {
    throw new Error('not used');
  }

  async listAudit(applicationId: string): Promise<AuditEvent[]> {
    return this.audit.filter((event) => event.applicationId === applicationId);
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    if (!this.audit.some((e) => e.eventId === event.eventId)) this.audit.push(event);
  }

  actions(applicationId: string): string[] {
    return this.audit.filter((event) => event.applicationId === applicationId).map((event) => event.action);
  }
}

export class FakeMailer implements Mailer {
  readonly sent: Email[] = [];
  failNext = false;

  async send(email: Email): Promise<{ messageId: string }> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('SES is unavailable');
    }
    this.sent.push(email);
    return { messageId: `message-${this.sent.length}` };
  }
}

/** Slots held per application; release frees what is held, once, as DynamoQuotas does. */
export class FakeQuotas implements Quotas {
  readonly holding = new Map<string, QuotaRequest>();
  readonly releases: QuotaHolder[] = [];

  async reserve(request: QuotaRequest) {
    // Uncapped (typical cases, re-reviews): nothing to count, as in DynamoQuotas.
    if ((request.provincial?.limit ?? null) === null && !request.city && !request.subSector) {
      return { reserved: true, alreadyHeld: false };
    }
    const before = this.holding.get(request.applicationId);
    const alreadyHeld =
      before !== undefined &&
      (request.provincial === undefined || before.provincial !== undefined) &&
      (request.city === undefined || before.city !== undefined) &&
      (request.subSector === undefined || before.subSector !== undefined);
    this.holding.set(request.applicationId, { ...before, ...request });
    return { reserved: !alreadyHeld, alreadyHeld };
  }

  async release(holder: QuotaHolder) {
    this.releases.push(holder);
    return { released: this.holding.delete(holder.applicationId) };
  }

  async held(holder: QuotaHolder): Promise<HeldSlot[]> {
    const request = this.holding.get(holder.applicationId);
    if (!request) return [];
    const reservedAt = '2025-01-01T00:00:00.000Z';
    return [
      ...(request.provincial
        ? [{ scope: 'provincial' as const, code: request.provincial.jurisdictionCode, reservedAt }]
        : []),
      ...(request.city ? [{ scope: 'city' as const, code: request.city.jurisdictionCode, reservedAt }] : []),
      ...(request.subSector ? [{ scope: 'sub-sector' as const, code: request.subSector.key, reservedAt }] : []),
    ];
  }

  async holds(holder: QuotaHolder) {
    return this.holding.has(holder.applicationId);
  }

  async usage() {
    return [];
  }
}

/**
 * An application's reviews as the closing reads and expires them: expireReview is conditional on
 * PENDING and undecided, as DynamoReviews' is, so a decision written first wins and a second
 * expiry changes nothing.
 */
export class FakeReviews implements Pick<ReviewStore, 'listApplicationReviews' | 'expireReview'> {
  readonly items = new Map<string, ReviewRecord>();
  readonly expiries: string[] = [];

  put(review: ReviewRecord): void {
    this.items.set(review.reviewId, structuredClone(review));
  }

  get(reviewId: string): ReviewRecord | undefined {
    return this.items.get(reviewId);
  }

  async listApplicationReviews(applicationId: string): Promise<ReviewRecord[]> {
    return [...this.items.values()].filter((r) => r.applicationId === applicationId).map((r) => structuredClone(r));
  }

  async expireReview(review: Pick<ReviewRecord, 'reviewId'>, at: string, reason: string) {
    const stored = this.items.get(review.reviewId);
    if (stored?.status !== 'PENDING' || stored.decision !== undefined) return undefined;
    const expired: ReviewRecord = { ...stored, status: 'EXPIRED', closedAt: at, closedReason: reason };
    this.items.set(review.reviewId, expired);
    this.expiries.push(review.reviewId);
    return structuredClone(expired);
  }
}
