import { describe, expect, it } from 'vitest';
import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import type { CampaignStore } from '../../../shared/ports/intake.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';

/** A store that counts its reads; `answer` decides what each read gives. */
function countingStore(answer: (read: number) => Promise<Campaign | undefined>) {
  const reads: string[] = [];
  const store: CampaignStore = {
    putCampaign: () => Promise.resolve(),
    listStoredCampaigns: () => Promise.resolve([]),
    getStoredCampaign: (campaignId) => {
      reads.push(campaignId);
      return answer(reads.length);
    },
  };
  return { store, reads };
}

const stored = { ...demoCampaign(new Date('2026-03-01T00:00:00Z')), campaignId: 'stored-2026-recommendation' };
const clock = () => new Date('2026-03-02T00:00:00Z');

describe('the campaign catalog, read in a rush', () => {
  it('reads a stored campaign once, however many requests ask for it at once or later', async () => {
    const { store, reads } = countingStore(() => Promise.resolve(stored));
    const catalog = new CampaignCatalog(store, clock);
    const first = await Promise.all(Array.from({ length: 20 }, () => catalog.get(stored.campaignId)));
    const later = await catalog.find(stored.campaignId);
    expect(reads).toEqual([stored.campaignId]);
    expect(new Set([...first, later])).toEqual(new Set([stored]));
  });

  it('reads a missing campaign again, so one added later is found', async () => {
    const { store, reads } = countingStore((read) => Promise.resolve(read === 1 ? undefined : stored));
    const catalog = new CampaignCatalog(store, clock);
    await expect(catalog.find(stored.campaignId)).resolves.toBeUndefined();
    await expect(catalog.find(stored.campaignId)).resolves.toBe(stored);
    expect(reads).toHaveLength(2);
  });

  it('reads again after a failed read, and the failure reaches the caller', async () => {
    const { store, reads } = countingStore((read) =>
      read === 1 ? Promise.reject(new Error('throttled')) : Promise.resolve(stored),
    );
    const catalog = new CampaignCatalog(store, clock);
    await expect(catalog.find(stored.campaignId)).rejects.toThrow('throttled');
    await expect(catalog.find(stored.campaignId)).resolves.toBe(stored);
    expect(reads).toHaveLength(2);
  });

  it('never reads the store for a built-in campaign', async () => {
    const { store, reads } = countingStore(() => Promise.resolve(undefined));
    const catalog = new CampaignCatalog(store, clock);
    await expect(catalog.find('miit-2025-recommendation')).resolves.toMatchObject({ year: 2025 });
    expect(reads).toEqual([]);
  });
});
