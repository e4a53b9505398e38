/**
 * The review page's data (GET /v1/reviews/{reviewId}): the application, its evidence with
 * short-lived download links, the form's warnings and what the stage asks for. It shows and never
 * decides (mail scanners follow links); a link that opens nothing gets the `forged` page.
 */
import { additionsFor } from '../rules/form-additions.ts';
import { NotFoundError } from '../platform/errors.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import { precheckThresholds } from '../rules/form.ts';
import { placeName } from '../rules/jurisdictions.ts';
import { weightedCriteria } from '../rules/scoring.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import { authorize, closedBecause, type DecisionCredentials } from './access.ts';
import { reviewStep } from './decide.ts';
import { stageSteps } from '../ladder/route.ts';
import { hasOnSiteStatement, levelDocumentFor } from './step-gates.ts';
import type { StepView } from './step-page.ts';
import { panelPagePath } from './panel/console-page.ts';
import type { DeskDeps } from './deps.ts';
import { ReviewLinkForbiddenError } from './errors.ts';
import { decisionView, type EvidenceEntry, type ReviewPage } from './views.ts';
import { alsoNationalView } from './also-national-parts.ts';
import { fullQuota } from './quota-full.ts';
import { documentsNeededBy, LEVEL_DOCUMENT_RULES } from './level-documents/records.ts';

/** Evidence download links on the review page live this long (seconds). */
export const DOWNLOAD_URL_TTL_SECONDS = 5 * 60;

type PageDeps = Pick<
  DeskDeps,
  | 'reviews'
  | 'records'
  | 'campaigns'
  | 'evidence'
  | 'linkKeys'
  | 'clock'
  | 'ownEvidence'
  | 'objections'
  | 'levelDocuments'
  | 'panels'
  | 'quotas'
>;
/** The level's documents the review's step needs, each with how many are VALID, and where to file them. */
async function neededDocuments(deps: PageDeps, review: ReviewRecord): Promise<ReviewPageLevelDocuments | undefined> {
  const kinds = documentsNeededBy(review);
  const documents = deps.levelDocuments;
  if (kinds.length === 0 || !documents) return undefined;
  const needs = await Promise.all(
    kinds.map(async (kind) => ({
      kind,
      title: LEVEL_DOCUMENT_RULES[kind].title,
      valid: (await documents.valid(review.campaignId, review.track, review.jurisdictionCode, kind)).length,
    })),
  );
  const query = new URLSearchParams({ campaignId: review.campaignId, track: review.track });
  return { needs, pageUrl: `/console/level-documents?${query.toString()}` };
}
type ReviewPageLevelDocuments = NonNullable<Extract<ReviewPage, { state: 'open' }>['levelDocuments']>;

/**
 * This level's earlier returns of the application (round 2 on: a resubmission), oldest first:
 * the round, the reason and when. None are read for a first round.
 */
async function returnsBefore(
  deps: PageDeps,
  review: ReviewRecord,
): Promise<NonNullable<Extract<ReviewPage, { state: 'open' }>['earlierReturns']>> {
  if (review.round <= 1) return [];
  const reviews = await deps.reviews.listApplicationReviews(review.applicationId);
  return reviews
    .filter((r) => r.stage === review.stage && r.round < review.round && r.decision === 'return' && r.decidedAt)
    .map((r) => ({ round: r.round, ...(r.reason !== undefined && { reason: r.reason }), decidedAt: r.decidedAt ?? '' }))
    .sort((a, b) => a.round - b.round || a.decidedAt.localeCompare(b.decidedAt));
}

/** GET: shows, never decides (mail scanners follow links). */
export async function reviewPage(
  deps: PageDeps,
  reviewId: string,
  credentials: DecisionCredentials,
): Promise<ReviewPage> {
  let review: ReviewRecord;
  try {
    review = await authorize(deps, reviewId, credentials);
  } catch (error) {
    if (error instanceof ReviewLinkForbiddenError) return { state: 'forged' };
    throw error;
  }
  const why = closedBecause(deps, review);
  if (why === 'decided') {
    const decision = decisionView(review);
    if (decision) return { state: 'decided', review, decision };
  }
  if (why !== undefined && why !== 'decided') return { state: 'gone', review, why };

  const application = await deps.records.getApplication(review.applicationId);
  if (!application) throw new NotFoundError(`No application ${review.applicationId}`);
  const campaign = await deps.campaigns.get(application.campaignId);
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const trackRules = campaign.tracks[application.track];
  const [evidence, objections, earlierReturns] = await Promise.all([
    deps.records.listEvidence(application.applicationId),
    deps.objections?.listObjections(application.applicationId) ?? Promise.resolve([]),
    returnsBefore(deps, review),
  ]);
  // An upheld objection sent the application back to this review: the reviewer sees it.
  const upheldObjections = objections.filter((o) => o.outcome === 'upheld');
  const titles = new Map(rules.checklist.map((item) => [item.id, item.title]));
  const entries = await Promise.all(
    evidence
      // An upload request whose file never arrived (or is still being checked) is not evidence.
      .filter((e) => e.status !== 'PENDING')
      .map(async (e): Promise<EvidenceEntry> => ({
        evidenceId: e.evidenceId,
        criterion: e.criterion,
        itemTitle: titles.get(e.criterion) ?? { zh: e.criterion, en: e.criterion },
        fileName: e.fileName,
        ...(e.size !== undefined && { size: e.size }),
        status: e.status,
        findings: e.findings,
        warnings: e.warnings,
        ...(e.status === 'VALID' && deps.evidence
          ? {
              // The version the validator checked; no link when those bytes are gone.
              downloadUrl: await deps.evidence.downloadUrl({
                key: e.objectKey,
                fileName: e.fileName,
                contentType: e.contentType,
                expiresInSeconds: DOWNLOAD_URL_TTL_SECONDS,
                versionId: e.versionId,
                eTag: e.eTag,
              }),
            }
          : {}),
      })),
  );
  const step = reviewStep(review, application, campaign);
  const documentKind = levelDocumentFor(step.config);
  const panel = step.config.kind === 'expert-panel' ? await deps.panels.resultOf(review.reviewId) : undefined;
  const quotaFull = await fullQuota(deps, review, application, campaign, step);
  const stepView: StepView = {
    ...(quotaFull !== undefined && { quotaFull }),
    sequence: stageSteps(application, campaign, review.stage).map((s) => s.config.kind),
    current: review.step?.index ?? 0,
    config: step.config,
    // The level seats, replaces and closes the panel on its console page, signed in: the link's
    // holder has no other way there.
    ...(step.config.kind === 'expert-panel' && {
      panel: {
        pageUrl: `/console/${panelPagePath(review.reviewId)}`,
        ...(panel && {
          closed: panel.closed,
          seated: panel.seated,
          waiting: panel.waitingFor.length,
          ...(panel.closed && panel.aggregate !== undefined && { aggregate: panel.aggregate }),
        }),
      },
    }),
    // Whether the level filed it (a sampling record: one naming this application).
    ...(documentKind && {
      levelDocument: {
        kind: documentKind,
        present: (
          await deps.levelDocuments.valid(review.campaignId, review.track, review.jurisdictionCode, documentKind)
        ).some((d) => documentKind !== 'sampling-record' || d.applicationIds?.includes(review.applicationId)),
      },
    }),
  };
  const ownItems = rules.checklist.filter((item) => item.uploadedBy === 'city');
  // The uploader's script authenticates with the link's `t`, or on the console with the session
  // cookie (page.ts draws it only where one of those carries its requests).
  const uploadOrigin =
    review.stage === 'city' && ownItems.length > 0 ? await deps.ownEvidence?.uploads.uploadOrigin?.() : undefined;
  const levelDocuments = await neededDocuments(deps, review);
  return {
    state: 'open',
    review,
    ...(levelDocuments && { levelDocuments }),
    application,
    campaignName: campaign.name,
    formAdditions: additionsFor(rules.overlay?.formAdditions, application.track),
    places: {
      county: placeName(application.countyCode) ?? application.countyCode,
      ...(application.cityCode !== undefined && { city: placeName(application.cityCode) }),
      province: placeName(application.provincialCode) ?? application.provincialCode,
      reviewer: placeName(review.jurisdictionCode) ?? review.jurisdictionCode,
    },
    warnings: precheckThresholds(rules.thresholds, application.form),
    evidence: entries,
    ...(upheldObjections.length > 0 && { upheldObjections }),
    ...(earlierReturns.length > 0 && { earlierReturns }),
    step: stepView,
    ...(review.stage === 'province' &&
      step.config.kind === 'review' && { scoring: weightedCriteria(application.track, trackRules) }),
    ...(review.step?.kind === 'onsite-statement' && {
      onSiteStatement: { required: true as const, present: hasOnSiteStatement(evidence) },
    }),
    ...alsoNationalView(review, application, campaign),
    ...(credentials.kind === 'link' && credentials.secret !== undefined && { secret: credentials.secret }),
    downloadTtlSeconds: DOWNLOAD_URL_TTL_SECONDS,
    ...(uploadOrigin !== undefined && {
      ownEvidence: {
        items: ownItems,
        evidence: evidence.filter((e) => ownItems.some((item) => item.id === e.criterion)),
        editable: application.status === 'CITY_REVIEW',
        uploadOrigin,
        at: deps.clock().toISOString(),
      },
    }),
  };
}
