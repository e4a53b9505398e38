/**
 * The expert panel (专家评审, issue 12 item 2): one class for the composition and the handler to
 * hold; each side in its own module:
 *
 * - level.ts: the level (the review's link holder, or its signed-in reviewer) seats experts from
 *   its directory (回避 refused), replaces a recused or late one, sees who is late, closes;
 * - expert.ts: the expert's seat link: declare (no conflict, or recuse), then score once;
 * - aggregate.ts: totals, the mean or trimmed mean, what is revealed when;
 * - conflict.ts: who may not sit on a candidate's panel;
 * - waiting.ts: the level's candidates at its expert-panel step (the console's /console/panels).
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../platform/auth/principal.ts';
import type { DecisionCredentials } from '../access.ts';
import { newLinkSecret } from '../links.ts';
import type { PanelDeskDeps, PanelDeps } from './deps.ts';
import { declare, score, seatPage } from './expert.ts';
import { assignExperts, closePanel, panelView, watchedPanelView } from './level.ts';
import type { SeatPage } from './views.ts';
import { waitingPanels } from './waiting.ts';

export class PanelDesk {
  private readonly deps: PanelDeps;

  constructor(deps: PanelDeskDeps) {
    this.deps = { ...deps, newId: deps.newId ?? randomUUID, newSecret: deps.newSecret ?? newLinkSecret };
  }

  /** The level's view of the panel: seats, who is late since when, its directory with conflicts marked. */
  view(reviewId: string, credentials: DecisionCredentials) {
    return panelView(this.deps, reviewId, credentials);
  }

  /** The same view for an operator of the panel's level, who watches it (404 unknown, 403 another level's). */
  watch(reviewId: string, principal: Principal) {
    return watchedPanelView(this.deps, reviewId, principal);
  }

  /** The signed-in level's candidates at its expert-panel step, each panel's progress and the ranking of the closed. */
  waiting(principal: Principal) {
    return waitingPanels(this.deps, principal);
  }

  /** The level seats experts (or replaces one); each gets their own emailed link. */
  assign(reviewId: string, credentials: DecisionCredentials, body: unknown, requestId: string) {
    return assignExperts(this.deps, reviewId, credentials, body, requestId);
  }

  /** The level closes the panel: the aggregate, and the review ranked by it. */
  close(reviewId: string, credentials: DecisionCredentials, body: unknown, requestId: string) {
    return closePanel(this.deps, reviewId, credentials, body, requestId);
  }

  /** GET: the expert's page for the seat (shows, never changes). */
  seatPage(reviewId: string, seatId: string, secret: string | undefined): Promise<SeatPage> {
    return seatPage(this.deps, reviewId, seatId, secret);
  }

  /** The expert declares no conflict of interest, or recuses. */
  declare(reviewId: string, seatId: string, secret: string | undefined, body: unknown, requestId: string) {
    return declare(this.deps, reviewId, seatId, secret, body, requestId);
  }

  /** The expert's scores, once. */
  score(reviewId: string, seatId: string, secret: string | undefined, body: unknown, requestId: string) {
    return score(this.deps, reviewId, seatId, secret, body, requestId);
  }
}
