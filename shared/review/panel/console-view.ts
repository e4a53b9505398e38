/**
 * What the level's panel page shows, by the panel's state (shared/review/panel/console-page.ts
 * renders it): pure, from the level's view of the panel (level.ts panelView). Scores appear only
 * once the panel is closed — the view carries none before — and the forms only while it is open,
 * and never to the level's operators, who watch.
 */
import type { Bilingual } from '../../schemas/common.ts';
import type { AggregateMethod, SeatState } from '../../schemas/panel.ts';
import type { Track } from '../../schemas/common.ts';
import { scoringCriteria } from '../../rules/scoring.ts';
import type { panelView } from './level.ts';

export type PanelViewResult = Awaited<ReturnType<typeof panelView>>;

/** Why an expert of the directory is not offered: 回避 (their county or city), or their seat on this panel. */
export type Refusal = 'county' | 'city' | 'seated' | 'left';

export interface SeatLine {
  seatId: string;
  name: string;
  email: string;
  affiliation?: string;
  state: SeatState;
  /** A counted seat still owing its scores (late or missing), since it was seated. */
  late: boolean;
  assignedAt: string;
  /** When the seat last moved (declared, recused, scored), if it did. */
  movedAt?: string;
  recusalReason?: string;
  /** The name of the expert whose seat this one took over. */
  replacesName?: string;
  /** A recused, late or missing seat, while the panel is open: the level may give it to another expert. */
  replaceable: boolean;
  /** Only once the panel is closed. */
  total?: number;
  scores?: { id: string; title: Bilingual; score: number }[];
}

export interface CandidateLine {
  email: string;
  name: string;
  affiliation?: string;
  /** Undefined: this expert may be seated. */
  refusal?: Refusal;
}

export interface PanelPageModel {
  reviewId: string;
  clusterName: string;
  track: Track;
  deadline: string;
  status: PanelViewResult['status'];
  minExperts: number;
  method: AggregateMethod;
  /** Every seat, the replaced ones too (the level sees who was there). */
  seats: SeatLine[];
  counted: number;
  scored: number;
  /** The directory, the refused ones with their reason beside the name (none for an operator, who seats no one). */
  candidates: CandidateLine[];
  /** An operator of the level watches: the same facts, no forms. */
  watching?: true;
  /** While the panel is open (or not opened yet): seat more experts; the first seating names at least `atLeast`. */
  seatForm?: { atLeast: number };
  /** While open: the seats that can be given to another expert. */
  replaceForm?: { seats: SeatLine[] };
  /** While open: whether enough experts scored to close it, and how many must. */
  closeForm?: { closable: boolean; needed: number };
  /** Once closed: the aggregate, each expert's total best first, and the candidate's rank at the level. */
  results?: { aggregate: number; totals: { name: string; total: number }[]; rank?: number };
}

/**
 * `watching`: an operator of the level, who sees what the reviewers see of the panel but acts on
 * nothing — no forms, no seat offered for replacement, and so no directory to choose from.
 */
export function panelPageModel(
  view: PanelViewResult,
  options: { rank?: number; watching?: boolean } = {},
): PanelPageModel {
  const open = view.status !== 'CLOSED';
  const manages = open && options.watching !== true;
  const criteria = scoringCriteria(view.track);
  const byId = new Map(view.seats.map((seat) => [seat.seatId, seat]));
  // In the order they were seated (a replacement after the seat it took over).
  const ordered = [...view.seats].sort((a, b) => a.assignedAt.localeCompare(b.assignedAt));
  const seats: SeatLine[] = ordered.map((seat) => {
    const replaceable = manages && (seat.state === 'RECUSED' || seat.waiting);
    const movedAt = seat.scoredAt ?? seat.recusedAt ?? seat.declaredAt;
    const replaced = seat.replaces !== undefined ? byId.get(seat.replaces) : undefined;
    return {
      seatId: seat.seatId,
      name: seat.expert.name,
      email: seat.expert.email,
      ...(seat.expert.affiliation !== undefined && { affiliation: seat.expert.affiliation }),
      state: seat.state,
      late: seat.waiting,
      assignedAt: seat.assignedAt,
      ...(movedAt !== undefined && { movedAt }),
      ...(seat.recusalReason !== undefined && { recusalReason: seat.recusalReason }),
      ...(replaced && { replacesName: replaced.expert.name }),
      replaceable,
      ...(!open &&
        seat.total !== undefined && {
          total: seat.total,
          scores: criteria.map(({ id, title }) => ({ id, title, score: seat.scores?.[id] ?? 0 })),
        }),
    };
  });
  const counted = view.seats.filter((seat) => seat.state !== 'RECUSED' && seat.state !== 'REPLACED').length;
  const left = new Set(
    view.seats.filter((seat) => seat.state === 'RECUSED' || seat.state === 'REPLACED').map((s) => s.expert.email),
  );
  const candidates: CandidateLine[] = (options.watching ? [] : view.experts).map((expert) => {
    const refusal: Refusal | undefined =
      expert.conflict ?? (expert.seated ? 'seated' : left.has(expert.email) ? 'left' : undefined);
    return {
      email: expert.email,
      name: expert.name,
      ...(expert.affiliation !== undefined && { affiliation: expert.affiliation }),
      ...(refusal !== undefined && { refusal }),
    };
  });
  const replaceable = seats.filter((seat) => seat.replaceable);
  const totals = seats
    .filter((seat) => seat.total !== undefined)
    .map((seat) => ({ name: seat.name, total: seat.total ?? 0 }))
    .sort((a, b) => b.total - a.total);
  return {
    reviewId: view.reviewId,
    clusterName: view.clusterName,
    track: view.track,
    deadline: view.deadline,
    status: view.status,
    minExperts: view.minExperts,
    method: view.method,
    seats,
    counted,
    scored: view.scored,
    candidates,
    ...(options.watching && { watching: true }),
    ...(manages && { seatForm: { atLeast: Math.max(1, view.minExperts - counted) } }),
    ...(manages && replaceable.length > 0 && { replaceForm: { seats: replaceable } }),
    ...(manages && view.status === 'OPEN' && { closeForm: { closable: view.closable, needed: view.minExperts } }),
    ...(!open &&
      view.aggregate !== undefined && {
        results: {
          aggregate: view.aggregate,
          totals,
          ...(options.rank !== undefined && { rank: options.rank }),
        },
      }),
  };
}
