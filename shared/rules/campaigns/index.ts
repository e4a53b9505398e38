/** The campaigns shipped with the code; each is parsed at load, so a bad seed fails fast. */
import type { Campaign } from '../campaign.ts';
import { miit2024TypicalCases } from './miit-2024-typical-cases.ts';
import { miit2025Recommendation } from './miit-2025-recommendation.ts';
import { miit2025Rereview } from './miit-2025-rereview.ts';

export { demoCampaign } from './demo.ts';

export const builtInCampaigns: Campaign[] = [miit2025Recommendation, miit2025Rereview, miit2024TypicalCases];

export function findBuiltInCampaign(campaignId: string): Campaign | undefined {
  return builtInCampaigns.find((campaign) => campaign.campaignId === campaignId);
}
