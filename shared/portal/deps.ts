import * as z from 'zod';
import type { Principal } from '../platform/auth/principal.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import type { Intake } from '../intake/intake.ts';

/**
 * What the portal's pages and forms call: the intake's own use cases (each loads, authorises
 * and checks as the API does) and the campaign catalog. The applications function wires them
 * (shared/composition/intake.ts); tests pass fakes with the same methods.
 */
export interface PortalDeps {
  intake: Pick<Intake, 'get' | 'create' | 'patch' | 'submit' | 'countyDesk'> & Partial<Pick<Intake, 'entriesToFile'>>;
  catalog: Pick<CampaignCatalog, 'get' | 'list'>;
  /** The time the countdowns count from (default: now). */
  now?: () => Date;
}

/** An application as the portal reads it: GET /v1/applications/{id}'s answer. */
export type ApplicationDetail = Awaited<ReturnType<Intake['get']>>;

/** `?id=<application id>`: the query of every page about one application. */
export const ApplicationQuerySchema = z.object({ id: z.uuid() });

/** The application (authorised as the API authorises a read: 404, or 403 beyond the county) and its campaign. */
export async function loadApplication(
  deps: { intake: Pick<PortalDeps['intake'], 'get'>; catalog: Pick<PortalDeps['catalog'], 'get'> },
  query: Record<string, string>,
  principal: Principal,
): Promise<{ application: ApplicationDetail; campaign: Campaign }> {
  const { id } = parseOrThrow(ApplicationQuerySchema, query, 'query');
  const application = await deps.intake.get(id.toLowerCase(), principal);
  return { application, campaign: await deps.catalog.get(application.campaignId) };
}
