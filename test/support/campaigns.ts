/**
 * The campaigns after recognition as the stack's tests create them (the integration walks and the
 * browser's pages): the 2025 re-review of the 2022 national cohort, and the 2024 typical cases
 * with their deadlines counted from the test's "now".
 */
import { type Campaign, CampaignSchema } from '../../shared/rules/campaign.ts';
import { miit2024TypicalCasesInput } from '../../shared/rules/campaigns/miit-2024-typical-cases.ts';
import { miit2025Rereview } from '../../shared/rules/campaigns/miit-2025-rereview.ts';

const DAY = 86_400_000;

/**
 * The re-review on `base`'s dates and ladder (a demo campaign, say), under its own id: the
 * re-review's one track and its quotas, and no province's overlay. `over` replaces what a test
 * runs differently (its steps).
 */
export function rereviewCampaign(base: Campaign, over: Partial<Campaign> = {}): Campaign {
  return {
    ...base,
    campaignId: base.campaignId.replace('recommendation', 'rereview'),
    tracks: { rereview: miit2025Rereview.tracks.rereview },
    quotas: miit2025Rereview.quotas,
    overlays: [],
    ...over,
  };
}

/** One review a level and nothing after MIIT's: a walk that follows a filing to its decision. */
export const ONE_REVIEW_A_LEVEL: Campaign['steps'] = {
  city: [{ kind: 'review' }],
  province: [{ kind: 'review' }],
  miit: [{ kind: 'review' }],
};

/**
 * The typical cases, open since a day before `now` (ms): Anhui's cities' batches due in 20 days,
 * the provinces' in 30, MIIT's selection in 90.
 */
export function typicalCasesCampaign(campaignId: string, now: number = Date.now()): Campaign {
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  return CampaignSchema.parse({
    ...miit2024TypicalCasesInput,
    campaignId,
    year: new Date(now).getFullYear(),
    opensAt: at(-1),
    calendar: { province: at(30), miit: at(90), validityYears: 3 },
    overlays: miit2024TypicalCasesInput.overlays?.map((overlay) => ({ ...overlay, calendar: { city: at(20) } })),
  });
}
