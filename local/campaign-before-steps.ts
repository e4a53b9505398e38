import { type Campaign, ChecklistItemSchema } from '../shared/rules/campaign.ts';
import { onsiteStatementItem } from '../shared/rules/campaigns/miit-2025-recommendation.ts';

/**
 * The campaign as the ladder ran before steps were data, for the tests about other things (quotas,
 * exactly-once, resumption, uploads, exports): one person step a level, the city's being its
 * on-site statement in every province (the city uploads the item, and approves only once it is
 * valid), and a public notice after MIIT's review. Nothing here needs a level document or a panel;
 * the declared 2025 sequences have their own tests (test/unit/ladder/definition.test.ts, ladder.test.ts).
 */
export function asBeforeSteps(campaign: Campaign): Campaign {
  const statement = ChecklistItemSchema.parse(onsiteStatementItem);
  const isStatement = (item: { id: string }) => item.id === statement.id;
  return {
    ...campaign,
    steps: {
      city: [{ kind: 'onsite-statement' }],
      province: [{ kind: 'review' }],
      miit: [{ kind: 'review' }, { kind: 'public-notice', days: 7 }],
    },
    // Every city's step asks for the statement, so every track's checklist holds it (once: an
    // overlay that adds it already has it from the track).
    tracks: Object.fromEntries(
      Object.entries(campaign.tracks).map(([track, rules]) => [
        track,
        rules.checklist.some(isStatement) ? rules : { ...rules, checklist: [...rules.checklist, statement] },
      ]),
    ),
    overlays: campaign.overlays.map(({ steps: _steps, ...overlay }) => ({
      ...overlay,
      checklistAdditions: overlay.checklistAdditions.filter((item) => !isStatement(item)),
    })),
  };
}
