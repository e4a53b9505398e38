import type { AuditEvent } from '../schemas/records.ts';
import type { ExpertDirectoryEntry, PanelRecord, SeatRecord } from '../schemas/panel.ts';

/**
 * What the expert panel (shared/review/panel/) needs stored. Every change is conditional on the
 * state read, with its audit event in the same transaction: of two racing writers one wins, and
 * the loser learns it (`false`) without anything half-written.
 */
export interface PanelStore {
  /** The panel of review `reviewId` with all its seats (replaced ones too), consistently read. */
  panelOf(reviewId: string): Promise<{ panel: PanelRecord; seats: SeatRecord[] } | undefined>;

  /**
   * Opens the panel if it is not open yet (`panel` is written only if absent) and adds the new
   * seats; with `replacing`, that seat (expected in state `replacing.state`) becomes REPLACED by
   * the first new seat. False when the panel was closed, or the replaced seat changed meanwhile.
   */
  seat(input: {
    panel: PanelRecord;
    seats: SeatRecord[];
    replacing?: { seat: SeatRecord; at: string };
    audits: AuditEvent[];
  }): Promise<boolean>;

  /**
   * The seat's next state, written only if it is still in `from` (and, for scores, has none) while
   * its panel is OPEN. False otherwise.
   */
  advanceSeat(seat: SeatRecord, from: SeatRecord['state'], next: SeatRecord, audit: AuditEvent): Promise<boolean>;

  /**
   * Closes an OPEN panel with its aggregate, and ranks its review by it (the review's weighted
   * score and mean scores, in the level's ranking). False when it was closed already.
   */
  close(
    panel: PanelRecord,
    closed: { aggregate: number; meanScores: Record<string, number>; at: string; by: string },
    audit: AuditEvent,
  ): Promise<boolean>;

  /** The experts a level may seat (none registered: undefined). */
  experts(jurisdictionCode: string): Promise<ExpertDirectoryEntry | undefined>;
  putExperts(entry: ExpertDirectoryEntry): Promise<void>;
}
