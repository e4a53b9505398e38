/**
 * The level's side of the panel: who sits on it (seat and replace experts from the level's
 * directory, 回避 refused with the field named), what it looks like (who is late, since when;
 * no one's scores before it closes), and closing it with the aggregate the level ranks by.
 */
import { assertAllowed, may } from '../../platform/auth/policy.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import { overlayFor } from '../../rules/effective-rules.ts';
import { stepsAt } from '../../rules/steps.ts';
import {
  AssignBodySchema,
  CloseBodySchema,
  type Expert,
  type PanelRecord,
  type SeatRecord,
} from '../../schemas/panel.ts';
import type { ApplicationRecord } from '../../schemas/records.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { assertDecidable, authorize, type DecisionCredentials } from '../access.ts';
import { hashLinkSecret } from '../links.ts';
import { aggregateOf, closable, isCounted, isWaiting, meanByCriterion, scoredSeats } from './aggregate.ts';
import { assertNoConflicts, conflictOf } from './conflict.ts';
import { type PanelActor, panelAudit, type PanelDeps } from './deps.ts';
import { notAPanelStep, panelClosed } from './errors.ts';
import { sendSeatLink } from './mail.ts';
import type { Campaign } from '../../rules/campaign.ts';

/** The step's rule: how many experts at least, and how their totals are aggregated. */
export function panelRule(campaign: Campaign, review: ReviewRecord): Pick<PanelRecord, 'minExperts' | 'method'> {
  const steps = stepsAt(review.stage, campaign.steps, overlayFor(campaign, review.countyCode)?.steps);
  const step = review.step ? steps[review.step.index] : undefined;
  if (step?.kind === 'expert-panel') return { minExperts: step.minExperts, method: step.aggregate };
  return { minExperts: 3, method: 'mean' };
}

/** Who acts for the level: the signed-in reviewer, or the registered addresses the review's link went to. */
function levelActor(review: ReviewRecord, credentials: DecisionCredentials, requestId: string): PanelActor {
  if (credentials.kind === 'reviewer')
    return {
      id: credentials.principal.sub,
      ...(credentials.principal.name !== undefined && { name: credentials.principal.name }),
      role: 'reviewer',
      jurisdiction: credentials.principal.jurisdiction,
      requestId,
    };
  return {
    id: review.emailedTo.length > 0 ? review.emailedTo.join(',') : `review-link:${review.reviewId}`,
    role: 'reviewer',
    jurisdiction: review.jurisdictionCode,
    requestId,
  };
}

export interface LevelContext {
  review: ReviewRecord;
  application: ApplicationRecord;
  campaign: Campaign;
  rule: Pick<PanelRecord, 'minExperts' | 'method'>;
  current: { panel: PanelRecord; seats: SeatRecord[] } | undefined;
}

/** The review (as the credentials open it, an expert-panel step), its application, campaign and panel. */
export async function levelContext(
  deps: PanelDeps,
  reviewId: string,
  credentials: DecisionCredentials,
): Promise<LevelContext> {
  return panelContext(deps, await authorize(deps, reviewId, credentials));
}

/**
 * The same, for an operator of the level who watches: the review as the reviewer's path opens it
 * (404 unknown, 403 where the level is not theirs: the same answers a reviewer of another level
 * gets), checked against `seePanels` before anything of the panel is read.
 */
async function watchedContext(deps: PanelDeps, reviewId: string, principal: Principal): Promise<LevelContext> {
  const review = await deps.reviews.getReview(reviewId);
  if (!review) throw new NotFoundError(`No review ${reviewId}`);
  assertAllowed(may.seePanels(principal, review.jurisdictionCode), 'seePanels', principal);
  return panelContext(deps, review);
}

/** An opened review's expert-panel step: its application, campaign and panel. */
async function panelContext(deps: PanelDeps, review: ReviewRecord): Promise<LevelContext> {
  const reviewId = review.reviewId;
  if (review.step?.kind !== 'expert-panel') throw notAPanelStep(reviewId);
  const [application, current] = await Promise.all([
    deps.records.getApplication(review.applicationId),
    deps.panels.panelOf(reviewId),
  ]);
  if (!application) throw new NotFoundError(`No application ${review.applicationId}`);
  const campaign = await deps.campaigns.get(review.campaignId);
  return { review, application, campaign, rule: panelRule(campaign, review), current };
}

const candidateOf = (application: ApplicationRecord) => ({
  countyCode: application.countyCode,
  cityCode: application.cityCode,
  coCountyCodes: application.coCountyCodes,
});

/** The level's view: its seats with who is late since when, the directory (conflicts marked), closable or not. */
export async function panelView(deps: PanelDeps, reviewId: string, credentials: DecisionCredentials) {
  return viewOf(deps, await levelContext(deps, reviewId, credentials));
}

/** The same view for the level's operators, who watch (seating and closing stay the reviewers'). */
export async function watchedPanelView(deps: PanelDeps, reviewId: string, principal: Principal) {
  return viewOf(deps, await watchedContext(deps, reviewId, principal));
}

async function viewOf(deps: PanelDeps, { review, application, rule, current }: LevelContext) {
  const reviewId = review.reviewId;
  const directory = await deps.panels.experts(review.jurisdictionCode);
  const closed = current?.panel.status === 'CLOSED';
  const seats = current?.seats ?? [];
  return {
    reviewId,
    applicationId: review.applicationId,
    clusterName: review.clusterName,
    jurisdictionCode: review.jurisdictionCode,
    track: review.track,
    deadline: review.deadline,
    minExperts: rule.minExperts,
    method: rule.method,
    status: current?.panel.status ?? ('NOT_OPENED' as const),
    ...(closed && current.panel.aggregate !== undefined && { aggregate: current.panel.aggregate }),
    closable: current ? closable(current.panel, seats) : false,
    scored: scoredSeats(seats).length,
    seats: seats.map((seat) => ({
      seatId: seat.seatId,
      expert: {
        email: seat.expert.email,
        name: seat.expert.name,
        ...(seat.expert.affiliation !== undefined && { affiliation: seat.expert.affiliation }),
      },
      state: seat.state,
      assignedAt: seat.assignedAt,
      /** Late or missing: a counted seat still owing its scores, since it was seated. */
      waiting: isWaiting(seat),
      ...(seat.replaces !== undefined && { replaces: seat.replaces }),
      ...(seat.declaredAt !== undefined && { declaredAt: seat.declaredAt }),
      ...(seat.recusedAt !== undefined && { recusedAt: seat.recusedAt, recusalReason: seat.recusalReason }),
      ...(seat.scoredAt !== undefined && { scoredAt: seat.scoredAt }),
      ...(seat.replacedBy !== undefined && { replacedBy: seat.replacedBy }),
      // Never before the panel closes: not even the level sees a score early.
      ...(closed && seat.total !== undefined && { total: seat.total, scores: seat.scores }),
    })),
    experts: (directory?.experts ?? []).map((expert) => ({
      email: expert.email,
      name: expert.name,
      ...(expert.affiliation !== undefined && { affiliation: expert.affiliation }),
      conflict: conflictOf(expert, candidateOf(application)) ?? null,
      seated: seats.some((seat) => isCounted(seat) && seat.expert.email === expert.email),
    })),
  };
}

/**
 * Seats experts (or one replacement). Refused, naming the field: an address not in the level's
 * directory, an expert from the candidate's county or city (回避), one seated already, too few to
 * reach `minExperts`, a replacement for a seat that scored.
 */
export async function assignExperts(
  deps: PanelDeps,
  reviewId: string,
  credentials: DecisionCredentials,
  body: unknown,
  requestId: string,
) {
  // Who asks first: a stranger learns nothing about the body, not even that it was wrong.
  const { review, application, rule, current } = await levelContext(deps, reviewId, credentials);
  const input = parseOrThrow(AssignBodySchema, body ?? {});
  assertDecidable(deps, review);
  if (current?.panel.status === 'CLOSED') throw panelClosed();
  const directory = await deps.panels.experts(review.jurisdictionCode);
  const known = new Map((directory?.experts ?? []).map((expert) => [expert.email.toLowerCase(), expert]));
  const experts: Expert[] = input.experts.map((email, i) => {
    const expert = known.get(email.toLowerCase());
    if (!expert)
      throw new ValidationError(`${email} is not among the experts of ${review.jurisdictionCode}`, [
        {
          field: `experts.${i}`,
          code: 'UNKNOWN_EXPERT',
          message: `${email} 不在本级专家库中 / not in this level's expert directory`,
        },
      ]);
    return expert;
  });
  assertNoConflicts(experts, candidateOf(application));
  const seats = current?.seats ?? [];
  experts.forEach((expert, i) => {
    if (seats.some((seat) => isCounted(seat) && seat.expert.email === expert.email))
      throw new ConflictError('EXPERT_SEATED', `${expert.email} sits on this panel already`, [
        {
          field: `experts.${i}`,
          code: 'EXPERT_SEATED',
          message: `${expert.name} 已在本评审组 / already on this panel`,
        },
      ]);
    // One who recused or was replaced does not come back to the same candidate.
    if (seats.some((seat) => !isCounted(seat) && seat.expert.email === expert.email))
      throw new ValidationError(`${expert.email} left this panel`, [
        {
          field: `experts.${i}`,
          code: 'EXPERT_LEFT',
          message: `${expert.name} 已回避或被替换 / recused or was replaced on this panel`,
        },
      ]);
  });

  let replacing: SeatRecord | undefined;
  if (input.replaces !== undefined) {
    replacing = seats.find((seat) => seat.seatId === input.replaces);
    if (!replacing || replacing.state === 'REPLACED' || replacing.state === 'SCORED')
      throw new ValidationError('Only a recused, late or missing seat is replaced', [
        {
          field: 'replaces',
          code: 'NOT_REPLACEABLE',
          message: '只能替换已回避或未评分的专家 / only a recused expert or one who has not scored is replaced',
        },
      ]);
  } else {
    const counted = seats.filter(isCounted).length + experts.length;
    if (counted < rule.minExperts)
      throw new ValidationError(`A panel needs at least ${rule.minExperts} experts`, [
        {
          field: 'experts',
          code: 'TOO_FEW_EXPERTS',
          message: `专家评审组至少 ${rule.minExperts} 人（现 ${counted} 人） / at least ${rule.minExperts} experts (${counted} named)`,
        },
      ]);
  }

  const now = deps.clock().toISOString();
  const actor = levelActor(review, credentials, requestId);
  const panel: PanelRecord = current?.panel ?? {
    reviewId,
    applicationId: review.applicationId,
    jurisdictionCode: review.jurisdictionCode,
    campaignId: review.campaignId,
    track: review.track,
    countyCode: application.countyCode,
    ...(application.cityCode !== undefined && { cityCode: application.cityCode }),
    clusterName: review.clusterName,
    ...rule,
    status: 'OPEN',
    openedAt: now,
    openedBy: actor.id,
  };
  const minted = await Promise.all(
    experts.map(async (expert) => {
      const secret = deps.newSecret();
      const hash = await hashLinkSecret(secret, deps.linkKeys);
      const seat: SeatRecord = {
        reviewId,
        applicationId: review.applicationId,
        seatId: deps.newId(),
        expert,
        state: 'ASSIGNED',
        secretHash: hash.secretHash,
        ...(hash.secretKeyVersion !== undefined && { secretKeyVersion: hash.secretKeyVersion }),
        assignedAt: now,
        assignedBy: actor.id,
        ...(replacing && { replaces: replacing.seatId }),
      };
      return { seat, secret };
    }),
  );
  const audits = minted.map(({ seat }) =>
    panelAudit(deps, {
      applicationId: review.applicationId,
      at: now,
      action: replacing ? 'PANEL_EXPERT_REPLACED' : 'PANEL_EXPERT_SEATED',
      actor,
      detail: {
        reviewId,
        seatId: seat.seatId,
        expert: seat.expert.email,
        ...(replacing && { replaces: replacing.seatId, replacedExpert: replacing.expert.email }),
      },
    }),
  );
  const written = await deps.panels.seat({
    panel,
    seats: minted.map(({ seat }) => seat),
    ...(replacing && { replacing: { seat: replacing, at: now } }),
    audits,
  });
  if (!written)
    throw new ConflictError('PANEL_CHANGED', 'The panel changed meanwhile; reload and try again', [
      { code: 'PANEL_CHANGED', message: '评审组已被他人修改，请刷新后重试 / the panel changed meanwhile: reload' },
    ]);
  for (const { seat, secret } of minted) await sendSeatLink(deps, { review, seat, secret });
  return {
    reviewId,
    seated: minted.map(({ seat }) => ({ seatId: seat.seatId, expert: seat.expert.email, assignedAt: now })),
    ...(replacing && { replaced: replacing.seatId }),
  };
}

/** Closes the panel once at least `minExperts` have scored: the aggregate, and the review ranked by it. */
export async function closePanel(
  deps: PanelDeps,
  reviewId: string,
  credentials: DecisionCredentials,
  body: unknown,
  requestId: string,
) {
  const { review, current } = await levelContext(deps, reviewId, credentials);
  parseOrThrow(CloseBodySchema, body ?? {});
  assertDecidable(deps, review);
  if (!current)
    throw new ConflictError('PANEL_NOT_OPENED', 'No expert was seated', [
      { code: 'PANEL_NOT_OPENED', message: '尚未选派评审专家 / no expert was seated yet' },
    ]);
  const { panel, seats } = current;
  if (panel.status === 'CLOSED') throw panelClosed();
  const scored = scoredSeats(seats);
  if (!closable(panel, seats)) {
    const waiting = seats.filter(isWaiting).map((seat) => seat.expert.email);
    throw new ConflictError('TOO_FEW_SCORES', `${scored.length} of at least ${panel.minExperts} experts scored`, [
      {
        field: 'seats',
        code: 'TOO_FEW_SCORES',
        message: `${scored.length} 位专家已评分，至少需要 ${panel.minExperts} 位 / ${scored.length} scored, at least ${panel.minExperts} needed`,
        waitingFor: waiting,
      },
    ]);
  }
  const aggregate = aggregateOf(
    scored.map((seat) => seat.total),
    panel.method,
  );
  const now = deps.clock().toISOString();
  const actor = levelActor(review, credentials, requestId);
  const closed = await deps.panels.close(
    panel,
    { aggregate, meanScores: meanByCriterion(scored), at: now, by: actor.id },
    panelAudit(deps, {
      applicationId: review.applicationId,
      at: now,
      action: 'PANEL_CLOSED',
      actor,
      detail: {
        reviewId,
        aggregate,
        method: panel.method,
        totals: scored.map((seat) => ({ expert: seat.expert.email, total: seat.total })),
        notScored: seats.filter(isWaiting).map((seat) => seat.expert.email),
      },
    }),
  );
  if (!closed) throw panelClosed();
  return { reviewId, status: 'CLOSED' as const, method: panel.method, aggregate, scored: scored.length };
}
