import { randomUUID } from 'node:crypto';
import {
  anonymous,
  type ApiClient,
  type ClientSettings,
  type Decision,
  type Reply,
  reviewLinkIn,
  sentEmails,
  signIn,
  uploadEvidence,
} from '../local/client/index.ts';
import { asBeforeSteps } from '../local/campaign-before-steps.ts';
import { samplePdf, sampleRecommendationForm } from '../local/sample-evidence.ts';
import type { ScratchStack } from '../local/scratch-stack.ts';
import type { PendingTask } from '../local/stepfunctions/engine.ts';
import { LADDER_STATES } from '../shared/ladder/states.ts';
import { effectiveRules } from '../shared/rules/effective-rules.ts';
import type { Campaign } from '../shared/rules/campaign.ts';
import { demoCampaign } from '../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../shared/rules/criteria.ts';
import { parentChain } from '../shared/rules/jurisdictions.ts';
import { asError, type HeldClock, Limiter, type Progress } from './pacing.ts';

/** How the automatic reviewers decide: through the emailed link, or signed in. */
export type ReviewerMode = 'link' | 'decision';

/** Where an application is filed: its county and the provincial-rank jurisdiction above it. */
export interface Placement {
  countyCode: string;
  provincialCode: string;
}

/**
 * The people of the ladder and fault benches, through the one API client: counties that file and
 * upload through presigned POSTs, and automatic reviewers who take their links from the local
 * SES whenever a review email went out.
 */

// ---- the stack, intake and the reviewers ------------------------------------------------------

/**
 * The automatic reviewers decide at machine pace, every one from this one address: the per-client
 * limits meant for people (shared/platform/limits/: 120 decisions an address in 10 minutes) would
 * answer them 429 mid-climb. A bench lifts the decision limits before its stack starts (RATE_LIMITS
 * is read as the handlers load), unless RATE_LIMITS is set already; returns the restore.
 */
export function liftDecisionLimits(): () => void {
  if (process.env.RATE_LIMITS !== undefined) return () => undefined;
  const lifted = { limit: 100_000, windowSeconds: 60 };
  process.env.RATE_LIMITS = JSON.stringify({ reviewDecision: { perPerson: lifted, perAddress: lifted } });
  return () => {
    delete process.env.RATE_LIMITS;
  };
}

/** Per provincial-rank jurisdiction: how many were filed there, and its recommendation quota. */
export function provincialQuotas(bench: Bench, filed: readonly Filed[]): Map<string, { count: number; limit: number }> {
  const perProvince = new Map<string, { count: number; limit: number }>();
  for (const { provincialCode, countyCode } of filed) {
    const entry = perProvince.get(provincialCode);
    if (entry) entry.count += 1;
    else {
      const limit = effectiveRules(bench.campaign, 'recommendation', countyCode).quota.provincial.limit;
      perProvince.set(provincialCode, { count: 1, limit: limit ?? Number.POSITIVE_INFINITY });
    }
  }
  return perProvince;
}

export interface Bench {
  stack: ScratchStack;
  clock: HeldClock;
  /** Told of every change the phases wait on (the clock's sleeps, decisions, executions ended). */
  progress: Progress;
  campaign: Campaign;
  concurrency: number;
  log: (line: string) => void;
  phaseTimeoutMs: number;
  /** One evidence PDF per checklist item (distinct bytes within an application). */
  pdfs: Map<string, Uint8Array>;
  /** Resolvers of pending uploads, by object key. */
  validations: Map<string, (ok: boolean, error?: string) => void>;
  clusters: number;
  uploads: { county: number; city: number };
  /** How the people's API clients behave (the fault bench's people send again after a 500). */
  client: ClientSettings;
}

/** A fresh bench over a started stack: the demo campaign, nothing filed yet. */
export function newBench(
  stack: ScratchStack,
  clock: HeldClock,
  progress: Progress,
  options: { concurrency: number; log: (line: string) => void; phaseTimeoutMs?: number; client?: ClientSettings },
): Bench {
  return {
    stack,
    clock,
    progress,
    // One person step a level: the benches measure the ladder, not the level documents' filing.
    campaign: asBeforeSteps(demoCampaign(new Date())),
    concurrency: options.concurrency,
    log: options.log,
    phaseTimeoutMs: options.phaseTimeoutMs ?? 600_000,
    pdfs: new Map(),
    validations: new Map(),
    clusters: 0,
    uploads: { county: 0, city: 0 },
    client: options.client ?? {},
  };
}

/** Someone of the bench, signed in as a role of a jurisdiction. */
export const person = (bench: Bench, role: 'applicant' | 'reviewer' | 'operator', code: string): Promise<ApiClient> =>
  signIn(bench.stack, role, code, bench.client);

/** Who uploads the city's own items (its on-site check statement) during its review: the city's reviewers. */
function cityUploader(bench: Bench, filed: Filed): Promise<ApiClient> {
  const city = parentChain(filed.countyCode).find((place) => place.rank === 'city');
  if (!city) throw new Error(`${filed.countyCode} has no city, yet its application has city items`);
  return person(bench, 'reviewer', city.code);
}

export interface Filed {
  applicationId: string;
  countyCode: string;
  provincialCode: string;
  /** Required items the city uploads during its review, before it may approve. */
  cityItems: string[];
}

export function expectStatus(
  what: string,
  response: Pick<Reply<unknown>, 'status' | 'text'>,
  ...statuses: number[]
): void {
  if (!statuses.includes(response.status)) {
    throw new Error(`${what}: HTTP ${response.status} ${response.text.slice(0, 500)}`);
  }
}

/**
 * Files a draft and uploads every required item the county owes through its presigned POST; all
 * VALID. Items the city uploads during its review (its on-site check statement) are left to it.
 */
export async function fileApplication(bench: Bench, placement: Placement): Promise<Filed> {
  const county = await person(bench, 'applicant', placement.countyCode);
  const created = await county.createApplication({
    campaignId: bench.campaign.campaignId,
    track: 'recommendation',
    countyCode: placement.countyCode,
    clusterName: `基准测试产业集群${++bench.clusters}`,
    leadingIndustry: '装备制造',
    subSector: '专用设备',
    form: sampleRecommendationForm(bench.campaign.year),
  });
  expectStatus(`create in ${placement.countyCode}`, created, 201);
  const { applicationId, checklist } = created.body;
  const required = checklist.filter((c) => c.required);
  for (const item of required.filter((c) => c.uploadedBy === 'county')) {
    await upload(bench, county, applicationId, item.id);
    bench.uploads.county += 1;
  }
  return { applicationId, ...placement, cityItems: required.filter((c) => c.uploadedBy === 'city').map((c) => c.id) };
}

/** Uploads the item's PDF through its presigned POST, as a browser would, and waits for the validator. */
async function upload(bench: Bench, uploader: ApiClient, applicationId: string, itemId: string): Promise<void> {
  const bytes = bench.pdfs.get(itemId) ?? (await evidencePdf(bench, itemId));
  const request = {
    criterion: itemId,
    fileName: `${itemId}.pdf`,
    contentType: 'application/pdf',
    size: bytes.byteLength,
  };
  // A key per file: a person who sends the request again after a fault gets the same item.
  await uploadEvidence(uploader, applicationId, request, { bytes }, (objectKey) => validated(bench, objectKey), {
    idempotencyKey: randomUUID(),
  });
}

/** Settles when the validator has run on the object (the bench's onValidated listener settles it). */
export function validated(bench: Bench, objectKey: string, timeoutMs = 60_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      bench.validations.delete(objectKey);
      reject(new Error(`no validator run for ${objectKey} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    timer.unref();
    bench.validations.set(objectKey, (ok, error) => {
      clearTimeout(timer);
      if (ok) resolve();
      else reject(new Error(`validator failed on ${objectKey}: ${error}`));
    });
  });
}

async function evidencePdf(bench: Bench, itemId: string): Promise<Uint8Array> {
  const bytes = await samplePdf(itemId, ['ladder benchmark evidence', `checklist item ${itemId}`]);
  bench.pdfs.set(itemId, bytes);
  return bytes;
}

/** How long a reviewer keeps trying a link whose review expired, waiting for the task's retry. */
const REARM_WAIT_MS = 60_000;

interface ReviewLink {
  reviewId: string;
  secret: string;
  applicationId: string;
  stage: string;
}

/**
 * Reviewers who approve everything they are asked to review, reading their email from the local
 * SES whenever a review task has sent one. At the province they score the eight criteria; a
 * refusal for a full quota (409 QUOTA_EXCEEDED) makes them reject the application, quoting the
 * refusal.
 */
export class AutoReviewers {
  readonly decided = { city: 0, province: 0, miit: 0 };
  provinceApproved = 0;
  quotaRefusals = 0;
  /** Decisions answered 410 REVIEW_EXPIRED and sent again once the review was re-armed. */
  expiredRetries = 0;
  decisions = 0;
  emailsRead = 0;
  private readonly seen = new Set<string>();
  private readonly limiter: Limiter;
  private since: number;
  private running = true;
  /** The mailbox read under way, and whether another email came out meanwhile. */
  private reading: Promise<void> | undefined;
  private readAgain = false;
  /** A review link's holder: no one signed in, the secret is the credential. */
  private readonly linkHolder: ApiClient;

  private readonly onSubmitted = (task: PendingTask) => {
    if (task.stateName === LADDER_STATES.requestReview) this.readMail();
  };

  constructor(
    private readonly bench: Bench,
    private readonly applications: ReadonlyMap<string, Filed>,
    private readonly mode: ReviewerMode,
    /** The stages these reviewers decide (default all); links of other stages are left alone. */
    private readonly stages?: ReadonlySet<string>,
  ) {
    this.limiter = new Limiter(bench.concurrency, bench.progress.notify);
    this.since = Math.floor(Date.now() / 1000) - 1;
    this.linkHolder = anonymous(bench.stack, bench.client);
    // A review task's `taskSubmitted` comes once its handler returned: its email is in the mailbox.
    bench.stack.stepFunctions.on('taskSubmitted', this.onSubmitted);
  }

  get failure(): Error | undefined {
    return this.limiter.failure;
  }

  /** Reads the mailbox now, or once more after the read under way. */
  private readMail(): void {
    if (!this.running) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        await this.readOnce();
      } while (this.readAgain && this.running);
    })()
      .catch((error: unknown) => {
        this.limiter.failure ??= asError(error);
        this.bench.progress.notify();
      })
      .finally(() => {
        this.reading = undefined;
      });
  }

  private async readOnce(): Promise<void> {
    for (const email of await sentEmails(this.bench.stack, this.since)) {
      this.since = Math.max(this.since, email.at);
      const found = reviewLinkIn(email);
      if (!found) continue;
      const { reviewId } = found;
      const [applicationId, stage] = reviewId.split('.') as [string, string];
      if (this.seen.has(reviewId) || !this.applications.has(applicationId)) continue;
      if (this.stages && !this.stages.has(stage)) continue;
      this.seen.add(reviewId);
      this.emailsRead += 1;
      const link: ReviewLink = { reviewId, secret: decodeURIComponent(found.secret), applicationId, stage };
      this.limiter.run(() => this.review(link));
    }
  }

  /**
   * Decides through the link; a 410 REVIEW_EXPIRED is tried again on the same link. Under injected
   * faults a review task's attempt can fail after it emailed the link: a decision that arrives
   * before Step Functions' retry (its token gone, the application not yet waiting here) does not
   * take effect and marks the review EXPIRED, and the retry re-arms it, PENDING again with the same
   * link (shared/review/open.ts). A person would try again; so does the bench, for a bounded time.
   */
  private async decide(link: ReviewLink, decision: Omit<Decision, 't'>): ReturnType<ApiClient['decide']> {
    const giveUpAt = Date.now() + REARM_WAIT_MS;
    for (;;) {
      const answer = await this.linkHolder.decide(link.reviewId, { ...decision, t: link.secret });
      const expired = answer.status === 410 && !answer.ok && answer.error.code === 'REVIEW_EXPIRED';
      if (!expired || Date.now() > giveUpAt || !this.running) return answer;
      this.expiredRetries += 1;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async review(link: ReviewLink): Promise<void> {
    const holder = this.linkHolder;
    if (this.mode === 'link') {
      const page = await holder.reviewPage(link.reviewId, link.secret);
      if (page.status !== 200 || !page.text.includes('name="decision"')) {
        throw new Error(`review page ${link.reviewId}: HTTP ${page.status}`);
      }
    }
    if (link.stage === 'city') {
      // The city's own evidence (its on-site check statement), where the campaign asks for it.
      const filed = this.applications.get(link.applicationId);
      for (const itemId of filed?.cityItems ?? []) {
        await upload(this.bench, await cityUploader(this.bench, filed as Filed), link.applicationId, itemId);
        this.bench.uploads.city += 1;
      }
    }
    if (link.stage !== 'province') {
      // A city whose province asks (Jilin) states "also national"; elsewhere the field is ignored.
      const decided = await this.decide(link, {
        decision: 'approve',
        ...(link.stage === 'city' && { alsoNational: true }),
      });
      expectStatus(`${link.stage} approval ${link.reviewId}`, decided, 200);
      this.count(link.stage as 'city' | 'miit');
      return;
    }
    // Expert scores, 60–99, varying by application so the province has a ranking.
    const seed = Number.parseInt(link.applicationId.slice(0, 8), 16);
    const scores = Object.fromEntries(CRITERIA.map((id, i) => [id, 60 + ((seed >> i) % 40)]));
    const approved = await this.decide(link, { decision: 'approve', scores });
    if (approved.status === 200) {
      this.provinceApproved += 1;
      this.count('province');
      return;
    }
    const refusal = approved.ok ? undefined : approved.error;
    if (approved.status !== 409 || refusal?.code !== 'QUOTA_EXCEEDED') {
      expectStatus(`province approval ${link.reviewId}`, approved, 200);
    }
    this.quotaRefusals += 1;
    const why = refusal?.details?.[0]?.message ?? refusal?.message ?? 'quota full';
    const rejected = await this.decide(link, {
      decision: 'reject',
      reason: `本省推荐名额已满，择优遴选未入选 / not recommended: ${why}`,
    });
    expectStatus(`province rejection ${link.reviewId}`, rejected, 200);
    this.count('province');
  }

  private count(stage: 'city' | 'province' | 'miit'): void {
    this.decided[stage] += 1;
    this.decisions += 1;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.bench.stack.stepFunctions.off('taskSubmitted', this.onSubmitted);
    await this.reading;
    await this.limiter.idle();
  }
}
