/** What the expert's page shows, by the seat's state (shared/review/panel/page.ts renders it). */
import type { ScoredCriterion } from '../../rules/scoring.ts';
import type { Bilingual } from '../../schemas/common.ts';
import type { AggregateMethod } from '../../schemas/panel.ts';

interface SeatBase {
  reviewId: string;
  seatId: string;
  /** The link's secret, for the page's forms (the URL holds it already). */
  secret: string;
  expert: { name: string; email: string };
  clusterName: string;
  places: { county: string; city?: string; level: string };
  deadline: string;
}

export interface PanelEvidenceFile {
  evidenceId: string;
  itemTitle: Bilingual;
  fileName: string;
  size?: number;
  downloadUrl?: string;
}

export type SeatPage =
  | { state: 'forged' }
  | (SeatBase & { state: 'replaced' })
  | (SeatBase & { state: 'recused'; reason: string })
  | (SeatBase & { state: 'late' })
  | (SeatBase & { state: 'declare' })
  | (SeatBase & {
      state: 'score';
      criteria: ScoredCriterion[];
      form: Record<string, unknown>;
      leadingIndustry: string;
      subSector: string;
      evidence: PanelEvidenceFile[];
      downloadTtlSeconds: number;
    })
  | (SeatBase & {
      state: 'scored';
      criteria: ScoredCriterion[];
      own: { scores: Record<string, number>; total: number };
    })
  | (SeatBase & {
      state: 'closed';
      criteria: ScoredCriterion[];
      aggregate: number;
      method: AggregateMethod;
      own?: { scores: Record<string, number>; total: number };
      /** Every scored expert's total, unnamed; `mine` marks the reader's own. */
      totals: { mine: boolean; total: number }[];
    });
