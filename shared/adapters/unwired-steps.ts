import type { LevelDocumentRef, LevelDocuments, PanelResult, PanelResults } from '../ports/steps.ts';

/*
 * Stand-ins for the expert panel's results and the level's own documents until their stores are
 * wired (shared/review/panel/, the level documents): no panel is ever assigned and no level has
 * filed anything, so the review desk refuses an approval that needs either, naming what is
 * missing, and never waves one through.
 */

export class NoPanels implements PanelResults {
  async resultOf(_reviewId: string): Promise<PanelResult | undefined> {
    return undefined;
  }
}

export class NoLevelDocuments implements LevelDocuments {
  async valid(): Promise<LevelDocumentRef[]> {
    return [];
  }
}
