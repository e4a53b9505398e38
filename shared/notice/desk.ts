/**
 * The public notice (公示) and its objections (DOMAIN.md: an objection is a matter for the level
 * that holds the notice; it decides whether the objection stands before anything moves back):
 *
 * - what is in notice, for the public page (no sign-in);
 * - an objection, from the public page or from a signed-in person (the /v1 route): one path,
 *   addressed to the level holding the notice; it moves nothing;
 * - the triage by that level's reviewers or an operator over it: upheld (the ladder sends the
 *   application back to that level's review when the notice closes: CheckObjections) or
 *   dismissed with a reason; the objector is told (email, and the status behind the receipt);
 * - the status behind a receipt number.
 *
 * An application that is not in notice answers exactly as one that does not exist: the notice
 * shows what it publishes and nothing about anything else.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { personActor } from '../intake/audit.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Caller, Principal } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { Clock, Mailer, Records } from '../ports/core.ts';
import type { NoticeBoard, ObjectionStore } from '../ports/notice.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import {
  ObjectionBodySchema,
  type ObjectionRecord,
  PublicObjectionBodySchema,
  TriageBodySchema,
} from '../schemas/reviews.ts';
import { outcomeEmail } from './mail.ts';
import {
  namedHolder,
  type NoticeEntry,
  noticeEntry,
  type NoticeHolder,
  noticeHolder,
  objectionStatus,
  type ObjectionStatusView,
} from './views.ts';

export interface NoticeDeskDeps {
  board: NoticeBoard;
  objections: ObjectionStore;
  records: Pick<Records, 'getApplication'>;
  campaigns: Pick<CampaignCatalog, 'list'>;
  mailer: Mailer;
  clock: Clock;
  /** Where the objector looks up the status (the notice page's base URL). */
  publicBaseUrl: string;
  newId?: () => string;
}

/** Who files: someone on the public page (no account), or a signed-in person through the API. */
export type Objector = { kind: 'public'; requestId: string } | { kind: 'signed-in'; caller: Caller };

/** An objection waiting for triage, with the cluster it is about. */
export interface UntriagedObjection {
  objection: ObjectionRecord;
  clusterName: string;
  holder: string;
  noticeEndsAt?: string;
}

export interface TriageResult {
  objection: ObjectionRecord;
  /** false when the same triage was asked again (nothing written, nobody told twice). */
  changed: boolean;
  /** Whether the objector was emailed the outcome (a contact that is an email address). */
  notified: boolean;
}

const EmailSchema = z.email();

/** The one answer for an application that is unknown or not in notice. */
const notInNotice = (applicationId: string) =>
  new NotFoundError(`No application ${applicationId} is in public notice`, [
    {
      field: 'applicationId',
      code: 'NOT_IN_PUBLIC_NOTICE',
      message: '未找到公示中的该项申报 / no application in public notice has this id',
    },
  ]);

const noReceipt = () =>
  new NotFoundError('No objection has this receipt number', [
    { field: 'receipt', code: 'NOT_FOUND', message: '未找到该回执号的异议 / no objection has this receipt number' },
  ]);

export class NoticeDesk {
  private readonly newId: () => string;

  constructor(private readonly deps: NoticeDeskDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  /** Everything in notice now (status PUBLIC_NOTICE), the latest window first. */
  async notices(): Promise<NoticeEntry[]> {
    const campaigns = await this.deps.campaigns.list();
    const byId = new Map(campaigns.map((c) => [c.campaignId, c]));
    const now = this.deps.clock();
    const applications = await this.deps.board.inNotice(campaigns.map((c) => c.campaignId));
    return applications
      .flatMap((application) => {
        const campaign = byId.get(application.campaignId);
        const entry =
          campaign &&
          noticeEntry(
            application,
            { campaignId: campaign.campaignId, name: campaign.name, notice: campaign.notice },
            now,
          );
        return entry ? [entry] : [];
      })
      .sort((a, b) => b.window.endsAt.localeCompare(a.window.endsAt) || a.clusterName.localeCompare(b.clusterName));
  }

  /** One application in notice; NotFound when it is unknown or not in notice. */
  async entry(applicationId: string): Promise<NoticeEntry> {
    const application = await this.inNotice(applicationId);
    const campaign = (await this.deps.campaigns.list()).find((c) => c.campaignId === application.campaignId);
    const entry =
      campaign &&
      noticeEntry(
        application,
        { campaignId: campaign.campaignId, name: campaign.name, notice: campaign.notice },
        this.deps.clock(),
      );
    if (!entry) throw notInNotice(applicationId);
    return entry;
  }

  /**
   * Files an objection while the notice runs, addressed to the level holding it. The body is
   * checked before anything is read (400 naming each field); then an application unknown, not in
   * notice or past its window answers 404, all alike. Limits per client are the caller's (the
   * HTTP face counts both routes against the same `objection` limits).
   */
  async file(applicationId: string, body: unknown, by: Objector): Promise<ObjectionRecord> {
    const input =
      by.kind === 'public'
        ? parseOrThrow(PublicObjectionBodySchema, body ?? {})
        : parseOrThrow(ObjectionBodySchema, body ?? {});
    const application = await this.inNotice(applicationId);
    const filedAt = this.deps.clock().toISOString();
    if (Date.parse(filedAt) >= Date.parse(application.noticeEndsAt ?? filedAt)) throw notInNotice(applicationId);
    const holder = noticeHolder(application);
    const objection: ObjectionRecord = {
      objectionId: this.newId(),
      applicationId,
      reason: input.reason,
      ...(input.contact && { contact: input.contact }),
      ...(input.name && { name: input.name }),
      ...(input.organisation && { organisation: input.organisation }),
      channel: by.kind,
      addressedTo: { stage: holder.stage, jurisdictionCode: holder.jurisdictionCode },
      filedAt,
      resolved: false,
    };
    const filed = await this.deps.objections.fileObjection(objection, {
      applicationId,
      eventId: this.newId(),
      at: filedAt,
      action: 'OBJECTION_FILED',
      ...actorOf(by),
      reason: input.reason,
      detail: { objectionId: objection.objectionId, addressedTo: holder.jurisdictionCode },
    });
    // The notice ended (or the application left it) between the read and the write.
    if (!filed) throw notInNotice(applicationId);
    return objection;
  }

  /** Where an objection stands, for whoever holds its receipt number. */
  async status(objectionId: string): Promise<ObjectionStatusView> {
    // Receipts are issued as lower-case UUIDs, and a UUID's case means nothing: one copied from
    // an email or typed in capitals is the same receipt.
    const objection = await this.deps.objections.findObjection(objectionId.toLowerCase());
    if (!objection) throw noReceipt();
    const application = await this.deps.records.getApplication(objection.applicationId);
    if (!application) throw noReceipt();
    return objectionStatus(objection, application.clusterName, addressOf(objection, application).name);
  }

  /** The objections waiting for this person's triage: of the level they review, or within the operator's scope. */
  async untriaged(principal: Principal): Promise<UntriagedObjection[]> {
    assertAllowed(may.triageAny(principal), 'triageObjection', principal);
    const open = await this.deps.objections.listUntriaged();
    const out: UntriagedObjection[] = [];
    for (const objection of open) {
      const application = await this.deps.records.getApplication(objection.applicationId);
      if (!application) continue;
      const addressed = addressOf(objection, application);
      if (!may.triageObjection(principal, addressed.jurisdictionCode)) continue;
      out.push({
        objection,
        clusterName: application.clusterName,
        holder: addressed.name,
        ...(application.noticeEndsAt && { noticeEndsAt: application.noticeEndsAt }),
      });
    }
    return out;
  }

  /**
   * Upheld or dismissed (with a reason), once: a repeat of the same triage answers as the first
   * did; a different one is 409. Upheld needs the application still in notice (the ladder sends
   * it back when the notice closes). The objector is emailed the outcome when the contact is an
   * email address; the status behind the receipt says it in any case.
   */
  async triage(objectionId: string, body: unknown, caller: Caller): Promise<TriageResult> {
    assertAllowed(may.triageAny(caller.principal), 'triageObjection', caller.principal);
    const objection = await this.deps.objections.findObjection(objectionId);
    if (!objection) throw noReceipt();
    const application = await this.deps.records.getApplication(objection.applicationId);
    if (!application) throw noReceipt();
    const addressed = addressOf(objection, application);
    assertAllowed(
      may.triageObjection(caller.principal, addressed.jurisdictionCode),
      'triageObjection',
      caller.principal,
    );
    const input = parseOrThrow(TriageBodySchema, body ?? {});

    if (objection.resolved) return this.repeated(objection, input.outcome);
    const at = this.deps.clock().toISOString();
    const triaged: ObjectionRecord = {
      ...objection,
      addressedTo: { stage: addressed.stage, jurisdictionCode: addressed.jurisdictionCode },
      resolved: true,
      resolvedAt: at,
      outcome: input.outcome,
      resolvedBy: caller.principal.sub,
      ...(input.reason && { resolution: input.reason }),
    };
    const written = await this.deps.objections.triage(objection, triaged, {
      applicationId: objection.applicationId,
      eventId: this.newId(),
      at,
      action: input.outcome === 'upheld' ? 'OBJECTION_UPHELD' : 'OBJECTION_DISMISSED',
      ...personActor(caller.principal),
      requestId: caller.requestId,
      ...(input.reason && { reason: input.reason }),
      detail: { objectionId, outcome: input.outcome, addressedTo: addressed.jurisdictionCode },
    });
    if (!written.triaged) {
      if (written.current?.resolved) return this.repeated(written.current, input.outcome);
      throw new ConflictError('NOTICE_CLOSED', 'The application is no longer in public notice', [
        {
          field: 'outcome',
          code: 'NOTICE_CLOSED',
          message:
            '该申报已不在公示期，异议不能再认定成立 / the application has left its notice: an objection can no longer be upheld',
        },
      ]);
    }
    return {
      objection: triaged,
      changed: true,
      notified: await this.tell(triaged, application.clusterName, addressed.name),
    };
  }

  private repeated(current: ObjectionRecord, outcome: ObjectionRecord['outcome']): TriageResult {
    if (current.outcome === outcome) return { objection: current, changed: false, notified: false };
    throw new ConflictError('ALREADY_TRIAGED', `The objection was already ${current.outcome ?? 'resolved'}`, [
      {
        field: 'outcome',
        code: 'ALREADY_TRIAGED',
        message: `该异议已处理（${current.outcome ?? 'resolved'}） / the objection was already ${current.outcome ?? 'resolved'}`,
      },
    ]);
  }

  /** Emails the outcome when the contact is an email address; a failed send leaves the status page to say it. */
  private async tell(objection: ObjectionRecord, clusterName: string, holder: string): Promise<boolean> {
    const address = objection.contact?.trim();
    if (!address || !EmailSchema.safeParse(address).success) return false;
    try {
      await this.deps.mailer.send(
        outcomeEmail(objection, { clusterName, holder, baseUrl: this.deps.publicBaseUrl, to: address }),
      );
      return true;
    } catch {
      return false;
    }
  }

  private async inNotice(applicationId: string): Promise<ApplicationRecord> {
    const application = z.uuid().safeParse(applicationId).success
      ? await this.deps.records.getApplication(applicationId)
      : undefined;
    if (!application || application.status !== 'PUBLIC_NOTICE') throw notInNotice(applicationId);
    return application;
  }
}

/** The level an objection is addressed to (objections filed before addressing: the notice's holder). */
function addressOf(objection: ObjectionRecord, application: ApplicationRecord): NoticeHolder {
  const addressed = objection.addressedTo;
  return addressed ? namedHolder(addressed.stage, addressed.jurisdictionCode) : noticeHolder(application);
}

function actorOf(by: Objector): Pick<AuditEvent, 'actor' | 'actorName' | 'role' | 'jurisdiction' | 'requestId'> {
  if (by.kind === 'public') return { actor: 'public', role: 'public', requestId: by.requestId };
  const { principal, requestId } = by.caller;
  return { ...personActor(principal), requestId };
}
