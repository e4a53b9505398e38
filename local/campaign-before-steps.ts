import { type Campaign } from '../shared/rules/campaign.ts';
import { ChecklistItemSchema } from '../shared/rules/checklist.ts';
import { onsiteStatementItem } from '../shared/rules/campaigns/miit-2025-recommendation.ts';

/**
 * The campaign as the ladder ran before steps were data, for the tests about other things (quotas,
 * exactly-once, resumption, uploads, exports): one person step a level, the city's being its
 * on-site statement where a province's overlay lists the item (Jilin too: the city uploads it, and
 * approves only once it is valid; a province without an overlay has no such item, so its cities
 * review), and a public notice after MIIT's review; no province keeps a list of its own. Nothing here needs a level document or a panel; the
 * declared 2025 sequences have their own tests (test/unit/ladder/definition.test.ts, ladder.test.ts).
 */
export function asBeforeSteps(campaign: Campaign): Campaign {
  return {
    ...campaign,
    steps: {
      city: [{ kind: 'review' }],
      province: [{ kind: 'review' }],
      miit: [{ kind: 'review' }, { kind: 'public-notice', days: 7 }],
    },
    // Nor did a province keep its own list (a single province step leaves no room for it).
    overlays: campaign.overlays.map(({ steps: _steps, provincialRecognition: _list, ...overlay }) => ({
      ...overlay,
      steps: { city: [{ kind: 'onsite-statement' }] },
      checklistAdditions: overlay.checklistAdditions.some((item) => item.id === onsiteStatementItem.id)
        ? overlay.checklistAdditions
        : [...overlay.checklistAdditions, ChecklistItemSchema.parse(onsiteStatementItem)],
    })),
  };
}
