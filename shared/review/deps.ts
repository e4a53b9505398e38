/**
 * What the review desk's steps are given: its ports and settings (the desk's constructor takes
 * `ReviewDeskDeps`; each step picks from `DeskDeps`, the same with defaults filled in), and who
 * acts, as the audit trail names them.
 */
import type { ObjectionStore } from '../ports/notice.ts';
import { randomUUID } from 'node:crypto';
import type { Caller } from '../platform/auth/principal.ts';
import { personActor } from '../intake/audit.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import type { Clock, Mailer, Records } from '../ports/core.ts';
import type { Quotas } from '../ports/quotas.ts';
import type { LevelDocuments, PanelResults } from '../ports/steps.ts';
import type { EvidenceDownloads, LinkKeys, OwnEvidencePorts, ReviewStore, TaskControl } from '../ports/review.ts';
import type { ActorRole, AuditEvent } from '../schemas/records.ts';
import { newLinkSecret } from './links.ts';

export interface ReviewDeskDeps {
  reviews: ReviewStore;
  /** `listAudit`: whether the level was told already that an application waits over a full quota. */
  records: Pick<Records, 'getApplication' | 'listEvidence' | 'saveApplication' | 'appendAudit' | 'listAudit'>;
  campaigns: Pick<CampaignCatalog, 'get'>;
  quotas: Quotas;
  /** The expert panel of an expert-panel step: its approval needs the panel closed. */
  panels: PanelResults;
  /** The level's own documents: a meeting, sampling or formal-letter step's approval needs its own. */
  levelDocuments: LevelDocuments;
  tasks: TaskControl;
  mailer: Mailer;
  /** e.g. https://api.example.gov.cn (no trailing slash needed). */
  publicBaseUrl: string;
  /** Needed for download links on the review page only. */
  evidence?: EvidenceDownloads;
  /** Needed for the city's own uploads from the review page only (the reviews function). */
  ownEvidence?: OwnEvidencePorts;
  /**
   * The objections to the application's public notice: the review page shows the upheld ones, the
   * reason the application came back (the reviews function; absent elsewhere).
   */
  objections?: Pick<ObjectionStore, 'listObjections'>;
  clock: Clock;
  newId?: () => string;
  newSecret?: () => string;
  /**
   * The link key: stored hashes are HMAC-SHA256 under its current version, with the version.
   * Without it they are plain SHA-256 (as every review stored before keyed hashes).
   */
  linkKeys?: LinkKeys;
  /** Reissued links kept valid, and the resend cooldown. Default: REMINDER_RULES. */
  links?: { keep: number; resendCooldownMinutes: number };
}

/** The desk's deps with their defaults filled in. */
export type DeskDeps = Omit<ReviewDeskDeps, 'newId' | 'newSecret'> & {
  newId: () => string;
  newSecret: () => string;
};

export function withDefaults(deps: ReviewDeskDeps): DeskDeps {
  return { ...deps, newId: deps.newId ?? randomUUID, newSecret: deps.newSecret ?? newLinkSecret };
}

/** Who the audit trail names for a reissued link: a signed-in reviewer, or the sweeper. */
export interface DeskActor {
  id: string;
  /** The person's display name, when their token gives one (the sweeper has none). */
  name?: string;
  role: ActorRole;
  /** The jurisdiction the actor acts for, when known. */
  jurisdiction?: string;
  requestId: string;
}

export const actorOf = ({ principal, requestId }: Caller): DeskActor => ({
  id: principal.sub,
  ...(principal.name !== undefined && { name: principal.name }),
  role: principal.role,
  jurisdiction: principal.jurisdiction,
  requestId,
});

/** Who the audit trail names: the signed-in principal, as its token says. */
export function auditActor({
  principal,
  requestId,
}: Caller): Pick<AuditEvent, 'actor' | 'actorName' | 'role' | 'jurisdiction' | 'requestId'> {
  return { ...personActor(principal), requestId };
}
