import { wireCampaigns } from '../shared/composition/intake.ts';
import { makeCampaignsHandler } from '../shared/intake/handlers.ts';

export const handler = makeCampaignsHandler(wireCampaigns());
