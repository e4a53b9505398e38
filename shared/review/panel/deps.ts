/**
 * What the expert panel's operations are given: its store, the review desk's reads (the review
 * whose step the panel is, the application, the campaign), the mailer for the seats' links, the
 * link key their secrets are hashed under, and evidence download links for the expert's page.
 */
import { actorNameOf } from '../../intake/audit.ts';
import type { CampaignCatalog } from '../../intake/campaigns.ts';
import type { Clock, Mailer, Records } from '../../ports/core.ts';
import type { PanelStore } from '../../ports/panel.ts';
import type { EvidenceDownloads, LinkKeys, ReviewStore } from '../../ports/review.ts';
import type { ActorRole, AuditEvent } from '../../schemas/records.ts';

export interface PanelDeskDeps {
  panels: PanelStore;
  reviews: ReviewStore;
  records: Pick<Records, 'getApplication' | 'listEvidence'>;
  campaigns: Pick<CampaignCatalog, 'get'>;
  mailer: Mailer;
  publicBaseUrl: string;
  clock: Clock;
  linkKeys?: LinkKeys;
  /** Download links on the expert's page (the reviews function's S3 client). */
  evidence?: EvidenceDownloads;
  newId?: () => string;
  newSecret?: () => string;
}

export type PanelDeps = PanelDeskDeps & { newId: () => string; newSecret: () => string };

/** Who the audit trail names for a panel act. */
export interface PanelActor {
  id: string;
  /** The person's display name: the signed-in reviewer's from their token, the expert's from their seat. */
  name?: string;
  role: ActorRole;
  jurisdiction?: string;
  requestId: string;
}

/** One audit event of the panel, on the application's trail. */
export function panelAudit(
  deps: Pick<PanelDeps, 'newId'>,
  input: {
    applicationId: string;
    at: string;
    action: AuditEvent['action'];
    actor: PanelActor;
    reason?: string;
    detail: Record<string, unknown>;
  },
): AuditEvent {
  return {
    applicationId: input.applicationId,
    eventId: deps.newId(),
    at: input.at,
    action: input.action,
    actor: input.actor.id,
    ...actorNameOf(input.actor.name),
    role: input.actor.role,
    ...(input.actor.jurisdiction !== undefined && { jurisdiction: input.actor.jurisdiction }),
    requestId: input.actor.requestId,
    ...(input.reason !== undefined && { reason: input.reason }),
    detail: input.detail,
  };
}
