import { describe, expect, it } from 'vitest';
import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import { Intake } from '../../../shared/intake/intake.ts';
import { portalActions, portalPage } from '../../../shared/portal/index.ts';
import type { RegisterEntry } from '../../../shared/register/entry.ts';
import { seedEntries } from '../../../shared/register/seed.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { miit2025Rereview } from '../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { FakeQuotas, FakeRecords } from '../ladder/fakes.ts';
import { MemoryRegister } from '../register/memory-register.ts';
import { PEOPLE } from '../support.ts';
import { NOW, portalRequest } from './fixtures.ts';

/** The portal's create page for a track filed for a register entry: the county picks one of its eligible entries. */
const demo = demoCampaign(new Date('2026-11-23T12:00:00Z'));
const campaign: Campaign = {
  ...demo,
  campaignId: 'demo-2026-rereview',
  tracks: { rereview: miit2025Rereview.tracks.rereview },
  overlays: [],
};
const [dunhua, fengtai] = seedEntries(NOW) as [RegisterEntry, RegisterEntry, ...RegisterEntry[]];

function world() {
  const records = new FakeRecords();
  const catalog = new CampaignCatalog(
    {
      putCampaign: async () => undefined,
      getStoredCampaign: async () => undefined,
      listStoredCampaigns: async () => [],
    },
    () => NOW,
    [campaign],
  );
  const intake = new Intake({
    records,
    campaigns: catalog,
    clock: () => NOW,
    quotas: new FakeQuotas(),
    register: new MemoryRegister([dunhua, fengtai, { ...dunhua, entryId: `${dunhua.entryId}x`, state: 'revoked' }]),
    newId: () => '00000000-0000-4000-8000-000000000001',
    workflow: { start: async () => undefined, resubmitted: async () => undefined },
    listings: { applicationsOfCounty: async () => [] },
  });
  return { records, deps: { intake, catalog, now: () => NOW } };
}

describe('the portal’s create page for a re-review', () => {
  it('offers the county’s eligible entries only (a member of the cohort, standing, its own)', async () => {
    const { deps } = world();
    const page = await portalPage(portalRequest('new', { campaignId: campaign.campaignId, track: 'rereview' }), deps);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="registerEntryId"');
    expect(page.body).toContain(`value="${dunhua.entryId}"`);
    expect(page.body).not.toContain(fengtai.entryId);
    expect(page.body).not.toContain(`${dunhua.entryId}x`);
    // The basics are the entry's: no cluster name to type.
    expect(page.body).not.toContain('name="clusterName"');
  });

  it('offers the entries from the campaign card’s link, which names the campaign but no track', async () => {
    const { deps } = world();
    const page = await portalPage(portalRequest('new', { campaignId: campaign.campaignId }), deps);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<option value="rereview" selected>');
    expect(page.body).toContain(`value="${dunhua.entryId}"`);
    expect(page.body).not.toContain('name="clusterName"');
  });

  it('creates the draft for the entry picked, and names registerEntryId when none was', async () => {
    const { deps, records } = world();
    const create = (fields: Record<string, string>) =>
      portalActions(deps).create(portalRequest(undefined, {}, PEOPLE.dunhuaApplicant, { body: fields }));
    const refused = await create({ campaignId: campaign.campaignId, track: 'rereview' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('name="registerEntryId"');
    // The summary names this form's own button (创建草稿), not the 申报表's 保存.
    expect(refused.body).toContain('以下各项有误，请修改后再创建草稿：');
    const created = await create({
      campaignId: campaign.campaignId,
      track: 'rereview',
      registerEntryId: dunhua.entryId,
    });
    expect(created.statusCode, created.body).toBe(303);
    expect([...records.applications.values()][0]).toMatchObject({
      registerEntryId: dunhua.entryId,
      clusterName: '敦化市医药产业集群',
    });
  });
});
