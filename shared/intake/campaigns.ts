import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { type Campaign, CampaignSchema } from '../rules/campaign.ts';
import { isOpen } from '../rules/effective-rules.ts';
import { builtInCampaigns } from '../rules/campaigns/index.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { Clock } from '../ports/core.ts';
import type { CampaignStore } from '../ports/intake.ts';

export interface CampaignView extends Campaign {
  open: boolean;
  /** Seeded with the code (history and the rules they carry) rather than added by an operator. */
  builtIn: boolean;
}

/** The seeded campaigns plus those operators added through the API. */
export class CampaignCatalog {
  private readonly builtIns: ReadonlyMap<string, Campaign>;
  /**
   * Stored campaigns this instance has read, by id. A stored campaign never changes (putCampaign
   * is conditional on its absence; nothing updates or deletes one), so a warm function reads and
   * parses each once instead of on every request: in a deadline rush that was a GetItem and a
   * schema parse for every API call, validator run and ladder task. A miss is not kept, so a
   * campaign added later is found.
   */
  private readonly stored = new Map<string, Promise<Campaign | undefined>>();

  constructor(
    private readonly records: CampaignStore,
    private readonly clock: Clock,
    builtIns: readonly Campaign[] = builtInCampaigns,
  ) {
    this.builtIns = new Map(builtIns.map((campaign) => [campaign.campaignId, campaign]));
  }

  view(campaign: Campaign): CampaignView {
    return {
      ...campaign,
      open: isOpen(campaign, this.clock()),
      builtIn: this.builtIns.has(campaign.campaignId),
    };
  }

  async list(): Promise<CampaignView[]> {
    const stored = await this.records.listStoredCampaigns();
    return [...this.builtIns.values(), ...stored]
      .map((campaign) => this.view(campaign))
      .sort((a, b) => b.year - a.year || a.campaignId.localeCompare(b.campaignId));
  }

  /** The campaign, or undefined when no campaign has this id. */
  async find(campaignId: string): Promise<Campaign | undefined> {
    const builtIn = this.builtIns.get(campaignId);
    if (builtIn) return builtIn;
    let reading = this.stored.get(campaignId);
    if (!reading) {
      reading = this.records.getStoredCampaign(campaignId);
      this.stored.set(campaignId, reading);
      const forget = () => {
        if (this.stored.get(campaignId) === reading) this.stored.delete(campaignId);
      };
      reading.then((campaign) => campaign ?? forget(), forget);
    }
    return reading;
  }

  async get(campaignId: string): Promise<Campaign> {
    const campaign = await this.find(campaignId);
    if (!campaign) throw new NotFoundError(`No campaign ${campaignId}`);
    return campaign;
  }

  /** A new year's call, from its full definition: national operators only (checked before the body is read). */
  async add(input: unknown, principal: Principal): Promise<CampaignView> {
    assertAllowed(may.addCampaign(principal), 'addCampaign', principal);
    const campaign = parseOrThrow(CampaignSchema, input);
    if (this.builtIns.has(campaign.campaignId)) {
      throw new ConflictError('CAMPAIGN_EXISTS', `Campaign ${campaign.campaignId} already exists`, [
        { field: 'campaignId', code: 'CAMPAIGN_EXISTS', message: 'a seeded campaign has this id' },
      ]);
    }
    await this.records.putCampaign(campaign, this.clock().toISOString());
    return this.view(campaign);
  }
}
