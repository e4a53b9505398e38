import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import { Intake } from '../../../shared/intake/intake.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { ApiRequest } from '../../../shared/platform/http/handler.ts';
import type { PortalDeps } from '../../../shared/portal/index.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import type { ApplicationRecord, EvidenceRecord } from '../../../shared/schemas/records.ts';
import { FakeQuotas, FakeRecords } from '../ladder/fakes.ts';
import { APP_ID, PEOPLE, sampleApplication, sampleEvidence } from '../support.ts';

/**
 * The portal over the real intake (drafts, submission, the county's desk) on in-memory records:
 * the demo campaign open now, Dunhua's draft in it, and a workflow that records what it is told.
 */
export const NOW = new Date('2026-11-24T02:00:00Z');
export const campaign: Campaign = demoCampaign(new Date('2026-11-23T12:00:00Z'));

export interface PortalWorld {
  records: FakeRecords;
  deps: PortalDeps;
  started: string[];
  draft: ApplicationRecord;
}

export function portalWorld(
  overrides: Partial<ApplicationRecord> = {},
  campaigns: Campaign[] = [campaign],
): PortalWorld {
  const records = new FakeRecords();
  const started: string[] = [];
  const clock = () => NOW;
  const catalog = new CampaignCatalog(
    {
      putCampaign: async () => undefined,
      getStoredCampaign: async () => undefined,
      listStoredCampaigns: async () => [],
    },
    clock,
    campaigns,
  );
  let ids = 0;
  const intake = new Intake({
    records,
    campaigns: catalog,
    clock,
    // A sub-sector edit asks what the draft holds (nothing, in these pages' worlds).
    quotas: new FakeQuotas(),
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    workflow: {
      start: async (application) => void started.push(application.applicationId),
      resubmitted: async (application) => void started.push(`resubmitted:${application.applicationId}`),
    },
    listings: {
      applicationsOfCounty: async (_county, provincialCode, campaignId) =>
        [...records.applications.values()].filter(
          (a) => a.provincialCode === provincialCode && a.campaignId === campaignId,
        ),
    },
  });
  const draft = sampleApplication({
    campaignId: campaign.campaignId,
    dueAt: campaign.calendar.submission ?? campaign.calendar.province,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...overrides,
  });
  records.put(draft);
  return { records, deps: { intake, catalog, now: clock }, started, draft };
}

/** Every required county item VALID: the draft can be submitted once its form is complete. */
export function validEvidence(world: PortalWorld): void {
  const items = campaign.tracks.recommendation?.checklist ?? [];
  const jilin = campaign.overlays.find((overlay) => overlay.provinceCode === '220000')?.checklistAdditions ?? [];
  [...items, ...jilin]
    .filter((item) => item.required && item.uploadedBy === 'county')
    .forEach((item, i) =>
      world.records.evidence.push(
        sampleEvidence({
          evidenceId: `7d0c2d7a-52a4-4b8f-8a0e-${String(i).padStart(12, '0')}`,
          criterion: item.id,
          status: 'VALID',
          uploadExpiresAt: NOW.toISOString(),
        }) satisfies EvidenceRecord,
      ),
    );
}

/** A request as the handler hands it to the portal: signed in (the session cookie's principal). */
export function portalRequest(
  page: string | undefined,
  query: Record<string, string> = {},
  as: Principal = PEOPLE.dunhuaApplicant,
  extra: Partial<ApiRequest> = {},
): ApiRequest {
  return {
    pathParameters: page === undefined ? {} : { page },
    query,
    body: undefined,
    headers: {},
    requestId: 'req-portal',
    principal: as,
    ...extra,
  };
}

/** The markup of the element with this id (up to its closing tag of the same name). */
export function section(body: string, id: string): string {
  const at = body.indexOf(`id="${id}"`);
  if (at < 0) return '';
  const open = body.lastIndexOf('<', at);
  const tag = /^<(\w+)/.exec(body.slice(open))?.[1] ?? 'section';
  const close = body.indexOf(`</${tag}>`, at);
  return body.slice(open, close + tag.length + 3);
}

export { APP_ID, PEOPLE };
