import { wireCampaigns } from '../shared/composition/intake.ts';
import { makeCampaignsHandler } from '../shared/intake/campaigns-handler.ts';

export const handler = makeCampaignsHandler(wireCampaigns());
