/**
 * The expert's side: the seat's link opens one seat. Before declaring, the expert sees only who
 * the candidate is (to know whether to recuse); after declaring no conflict, the application and
 * its evidence, and the scoring form; after scoring, their own scores; once the panel closes,
 * everyone's totals and the aggregate. Declaring and scoring happen once each (conditional writes).
 */
import { NotFoundError } from '../../platform/errors.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import { effectiveRules } from '../../rules/effective-rules.ts';
import { placeName } from '../../rules/jurisdictions.ts';
import { scoresSchema, weightedCriteria } from '../../rules/scoring.ts';
import { DeclarationBodySchema, type PanelRecord, ScoreBodySchema, type SeatRecord } from '../../schemas/panel.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { assertDecidable, closedBecause } from '../access.ts';
import { ReviewLinkForbiddenError } from '../errors.ts';
import { linkSecretMatches } from '../links.ts';
import { DOWNLOAD_URL_TTL_SECONDS } from '../page-data.ts';
import { expertTotal, scoredSeats } from './aggregate.ts';
import { type PanelActor, panelAudit, type PanelDeps } from './deps.ts';
import { alreadyScored, panelClosed, SeatGoneError, seatNotReady } from './errors.ts';
import type { SeatPage } from './views.ts';

interface SeatContext {
  panel: PanelRecord;
  seats: SeatRecord[];
  seat: SeatRecord;
  review: ReviewRecord;
}

/** The seat the link opens (403 for a wrong secret or an unknown seat alike: a guess learns nothing). */
async function openSeat(deps: PanelDeps, reviewId: string, seatId: string, secret: string | undefined) {
  const found = await deps.panels.panelOf(reviewId);
  const seat = found?.seats.find((s) => s.seatId === seatId);
  const hashes = seat
    ? [
        {
          secretHash: seat.secretHash,
          ...(seat.secretKeyVersion !== undefined && { secretKeyVersion: seat.secretKeyVersion }),
        },
      ]
    : [];
  if (!found || !seat || !(await linkSecretMatches(secret, hashes, deps.linkKeys)))
    throw new ReviewLinkForbiddenError();
  const review = await deps.reviews.getReview(reviewId);
  if (!review) throw new NotFoundError(`No review ${reviewId}`);
  return { panel: found.panel, seats: found.seats, seat, review } satisfies SeatContext;
}

/** An expert acts through their seat's link: the address the seat was sent to, and the name the level seated them by. */
const expertActor = (seat: SeatRecord, panel: PanelRecord, requestId: string): PanelActor => ({
  id: seat.expert.email,
  name: seat.expert.name,
  role: 'expert',
  jurisdiction: panel.jurisdictionCode,
  requestId,
});

/** What the expert's page shows now (shows, never changes anything). */
export async function seatPage(
  deps: PanelDeps,
  reviewId: string,
  seatId: string,
  secret: string | undefined,
): Promise<SeatPage> {
  let context: SeatContext;
  try {
    context = await openSeat(deps, reviewId, seatId, secret);
  } catch (error) {
    if (error instanceof ReviewLinkForbiddenError) return { state: 'forged' };
    throw error;
  }
  const { panel, seats, seat, review } = context;
  const base = {
    reviewId,
    seatId,
    secret: secret ?? '',
    expert: { name: seat.expert.name, email: seat.expert.email },
    clusterName: panel.clusterName,
    places: {
      county: placeName(panel.countyCode) ?? panel.countyCode,
      ...(panel.cityCode !== undefined && { city: placeName(panel.cityCode) ?? panel.cityCode }),
      level: placeName(panel.jurisdictionCode) ?? panel.jurisdictionCode,
    },
    deadline: review.deadline,
  };
  if (seat.state === 'REPLACED') return { ...base, state: 'replaced' };
  if (seat.state === 'RECUSED') return { ...base, state: 'recused', reason: seat.recusalReason ?? '' };
  const campaign = await deps.campaigns.get(panel.campaignId);
  const criteria = weightedCriteria(panel.track, campaign.tracks[panel.track]);
  if (panel.status === 'CLOSED') {
    return {
      ...base,
      state: 'closed',
      criteria,
      aggregate: panel.aggregate ?? 0,
      method: panel.method,
      ...(seat.scores !== undefined && { own: { scores: seat.scores, total: seat.total ?? 0 } }),
      totals: scoredSeats(seats).map((s) => ({ mine: s.seatId === seat.seatId, total: s.total })),
    };
  }
  if (closedBecause(deps, review) !== undefined) return { ...base, state: 'late' };
  if (seat.state === 'ASSIGNED') return { ...base, state: 'declare' };
  if (seat.state === 'SCORED')
    return { ...base, state: 'scored', criteria, own: { scores: seat.scores ?? {}, total: seat.total ?? 0 } };

  // DECLARED: the material, then the form.
  const application = await deps.records.getApplication(panel.applicationId);
  if (!application) throw new NotFoundError(`No application ${panel.applicationId}`);
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const titles = new Map(rules.checklist.map((item) => [item.id, item.title]));
  const evidence = (await deps.records.listEvidence(application.applicationId)).filter((e) => e.status === 'VALID');
  const files = await Promise.all(
    evidence.map(async (e) => ({
      evidenceId: e.evidenceId,
      itemTitle: titles.get(e.criterion) ?? { zh: e.criterion, en: e.criterion },
      fileName: e.fileName,
      ...(e.size !== undefined && { size: e.size }),
      ...(deps.evidence && {
        downloadUrl: await deps.evidence.downloadUrl({
          key: e.objectKey,
          fileName: e.fileName,
          contentType: e.contentType,
          expiresInSeconds: DOWNLOAD_URL_TTL_SECONDS,
          versionId: e.versionId,
          eTag: e.eTag,
        }),
      }),
    })),
  );
  return {
    ...base,
    state: 'score',
    criteria,
    form: application.form,
    leadingIndustry: application.leadingIndustry,
    subSector: application.subSector,
    evidence: files,
    downloadTtlSeconds: DOWNLOAD_URL_TTL_SECONDS,
  };
}

/** Refuses an act on a seat that is gone, a panel that closed or a review past its deadline. */
function assertSeatActs(deps: PanelDeps, { panel, seat, review }: SeatContext): void {
  if (seat.state === 'REPLACED') throw new SeatGoneError('replaced');
  if (seat.state === 'RECUSED') throw new SeatGoneError('recused');
  if (panel.status === 'CLOSED') throw panelClosed();
  assertDecidable(deps, review);
}

/** The declaration: no conflict of interest (the material opens), or a recusal with its reason. */
export async function declare(
  deps: PanelDeps,
  reviewId: string,
  seatId: string,
  secret: string | undefined,
  body: unknown,
  requestId: string,
) {
  // The seat's link first: without it, nothing about the body is answered.
  const context = await openSeat(deps, reviewId, seatId, secret);
  const input = parseOrThrow(DeclarationBodySchema, body ?? {});
  assertSeatActs(deps, context);
  const { panel, seat } = context;
  if (seat.state !== 'ASSIGNED') throw seatNotReady('declaration', '已作出声明 / you have declared already');
  const now = deps.clock().toISOString();
  const recuse = input.declaration === 'recuse';
  const next: SeatRecord = recuse
    ? { ...seat, state: 'RECUSED', recusedAt: now, ...(input.reason !== undefined && { recusalReason: input.reason }) }
    : { ...seat, state: 'DECLARED', declaredAt: now };
  const audit = panelAudit(deps, {
    applicationId: panel.applicationId,
    at: now,
    action: recuse ? 'PANEL_EXPERT_RECUSED' : 'PANEL_NO_CONFLICT_DECLARED',
    actor: expertActor(seat, panel, requestId),
    ...(recuse && input.reason !== undefined && { reason: input.reason }),
    detail: { reviewId, seatId },
  });
  if (!(await deps.panels.advanceSeat(seat, 'ASSIGNED', next, audit)))
    throw seatNotReady('declaration', '已作出声明，或评审已结束 / declared already, or the panel closed');
  return { reviewId, seatId, state: next.state, at: now };
}

/** The scores, once: all the track's criteria 0..100; the expert's weighted total kept beside them. */
export async function score(
  deps: PanelDeps,
  reviewId: string,
  seatId: string,
  secret: string | undefined,
  body: unknown,
  requestId: string,
) {
  // The seat's link first: without it, nothing about the body is answered.
  const context = await openSeat(deps, reviewId, seatId, secret);
  const input = parseOrThrow(ScoreBodySchema, body ?? {});
  assertSeatActs(deps, context);
  const { panel, seat } = context;
  if (seat.state === 'SCORED') throw alreadyScored();
  if (seat.state !== 'DECLARED')
    throw seatNotReady('declaration', '请先声明无利害关系 / declare that you have no conflict of interest first');
  const scores = parseOrThrow(scoresSchema(panel.track), input.scores, 'scores') as Record<string, number>;
  const campaign = await deps.campaigns.get(panel.campaignId);
  const total = expertTotal(scores, weightedCriteria(panel.track, campaign.tracks[panel.track]));
  const now = deps.clock().toISOString();
  const next: SeatRecord = { ...seat, state: 'SCORED', scores, total, scoredAt: now };
  const audit = panelAudit(deps, {
    applicationId: panel.applicationId,
    at: now,
    action: 'PANEL_SCORED',
    actor: expertActor(seat, panel, requestId),
    // The scores stay on the seat: the trail says who scored and when, not what (secret until closed).
    detail: { reviewId, seatId },
  });
  if (!(await deps.panels.advanceSeat(seat, 'DECLARED', next, audit))) {
    const again = await deps.panels.panelOf(reviewId);
    if (again?.panel.status === 'CLOSED') throw panelClosed();
    throw alreadyScored();
  }
  return { reviewId, seatId, state: 'SCORED' as const, total, scores, at: now };
}
