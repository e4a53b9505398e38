import { createHash, randomUUID } from 'node:crypto';
import { assertAllowed, may, type Permission } from '../platform/auth/policy.ts';
import type { Caller, Principal } from '../platform/auth/principal.ts';
import { EVIDENCE_PREFIX, UPLOAD_URL_TTL_SECONDS } from '../rules/storage.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { type Campaign, type ChecklistItem, effectiveRules } from '../rules/campaign.ts';
import { draftFormSchema, missingFormFields, precheckThresholds } from '../rules/form.ts';
import { findJurisdiction, provincialLevelOf, reviewChain } from '../rules/jurisdictions.ts';
import {
  CreateApplicationBodySchema,
  EvidenceRequestBodySchema,
  IdempotencyKeySchema,
  PatchApplicationBodySchema,
} from '../schemas/api.ts';
import { type ApplicationStatus, FILE_TYPE_BY_MIME, type FileType } from '../schemas/common.ts';
import type { ApplicationRecord, AuditEvent, EvidenceRecord } from '../schemas/records.ts';
import type { CampaignCatalog } from './campaigns.ts';
import { CHECKLIST_PROBLEM_MESSAGES, checklistStatus } from './checklist.ts';
import {
  ConflictError,
  DomainError,
  type ErrorDetail,
  NotFoundError,
  UnknownJurisdictionError,
  ValidationError,
} from '../platform/errors.ts';
import type {
  Clock,
  IdempotencyMarker,
  IdempotencyScope,
  IdempotentRoute,
  Records,
  ReviewWorkflow,
  UploadSigner,
} from '../ports/core.ts';

/** How long a marker is meant to hold a key (for information: the table has no TTL). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

const IDEMPOTENCY_FIELD = 'header.idempotency-key';

/** What a request carries besides its body. */
export interface RequestOptions {
  /** The `Idempotency-Key` header as sent, if it was. */
  idempotencyKey?: string | undefined;
}

/** 422: the key was used before for another request (another body, or another application). */
export class IdempotencyKeyReusedError extends DomainError {
  readonly status = 422;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was used for a different request', [
      {
        field: IDEMPOTENCY_FIELD,
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'the key was used before with another request; use a new key for a new request',
      },
    ]);
  }
}

/** A keyed request: where its marker lives and the hash of what it asks. */
interface Keyed {
  scope: IdempotencyScope;
  requestHash: string;
}

/** JSON with every object's keys sorted: the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const ROUTE_OF: Record<IdempotentRoute, string> = {
  CREATE: 'POST /v1/applications',
  EVIDENCE: 'POST /v1/applications/{applicationId}/evidence',
};

const isKeyInUse = (error: unknown) => error instanceof ConflictError && error.code === 'IDEMPOTENCY_KEY_IN_USE';

/** Statuses in which the county may still edit the form and add evidence. */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ['DRAFT', 'RETURNED'];

/** When each uploader may add evidence for the checklist items that are theirs. */
const UPLOAD_STATUSES: Record<ChecklistItem['uploadedBy'], readonly ApplicationStatus[]> = {
  county: EDITABLE_STATUSES,
  city: ['CITY_REVIEW'],
};

const EXTENSIONS: Record<FileType, readonly string[]> = {
  pdf: ['.pdf'],
  ofd: ['.ofd'],
  jpeg: ['.jpg', '.jpeg'],
  png: ['.png'],
  xlsx: ['.xlsx'],
  docx: ['.docx'],
};

export interface IntakeDeps {
  records: Records;
  /** Needed only to presign evidence uploads. */
  uploads?: UploadSigner;
  workflow: ReviewWorkflow;
  campaigns: CampaignCatalog;
  clock: Clock;
  newId?: () => string;
}

/** The rules an application answers to here: reading it, or acting as its applicant. */
type ApplicationRule = Extract<Permission, 'read' | 'actAsApplicant'>;

/**
 * The county's side of the programme: drafts, evidence upload requests, submission. Every use case
 * takes the signed-in principal and checks the policy itself (load, then authorise, then read the
 * body), so no caller can reach an application without the check. The workflow never calls these.
 */
export class Intake {
  private readonly newId: () => string;

  constructor(private readonly deps: IntakeDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  private now(): Date {
    return this.deps.clock();
  }

  /** The audit event of an act by the signed-in principal. */
  private audit(
    application: Pick<ApplicationRecord, 'applicationId'>,
    { principal, requestId }: Caller,
    action: AuditEvent['action'],
    extra: Partial<AuditEvent> = {},
  ): AuditEvent {
    return {
      applicationId: application.applicationId,
      eventId: this.newId(),
      at: this.now().toISOString(),
      action,
      actor: principal.sub,
      role: principal.role,
      jurisdiction: principal.jurisdiction,
      requestId,
      ...extra,
    };
  }

  /** The application, once the principal may act on it by `rule`: 404 when there is none, else 403. */
  private async authorised(
    applicationId: string,
    principal: Principal,
    rule: ApplicationRule,
  ): Promise<ApplicationRecord> {
    const application = await this.deps.records.getApplication(applicationId);
    if (!application) throw new NotFoundError(`No application ${applicationId}`);
    assertAllowed(may[rule](principal, application), rule, principal);
    return application;
  }

  private async load(
    applicationId: string,
    principal: Principal,
    rule: ApplicationRule,
  ): Promise<{ application: ApplicationRecord; campaign: Campaign }> {
    const application = await this.authorised(applicationId, principal, rule);
    return { application, campaign: await this.deps.campaigns.get(application.campaignId) };
  }

  private rules(application: ApplicationRecord, campaign: Campaign) {
    return effectiveRules(campaign, application.track, application.countyCode);
  }

  /** Refuses work on a campaign that is not taking applications from this county now. */
  private assertTakingApplications(campaign: Campaign, deadline: string, field?: string): void {
    const now = this.now();
    if (now < new Date(campaign.opensAt)) {
      throw new ConflictError(
        'CAMPAIGN_NOT_OPEN',
        `Campaign ${campaign.campaignId} opens at ${campaign.opensAt}`,
        [
          {
            field,
            code: 'CAMPAIGN_NOT_OPEN',
            message: `opens at ${campaign.opensAt}`,
            opensAt: campaign.opensAt,
          },
        ],
      );
    }
    if (now > new Date(deadline)) {
      throw new ConflictError(
        'DEADLINE_PASSED',
        `逾期不予受理: the submission deadline ${deadline} has passed`,
        [{ field, code: 'DEADLINE_PASSED', message: `the deadline was ${deadline}`, deadline }],
      );
    }
  }

  /**
   * The checked Idempotency-Key of a request (400 when malformed), or undefined without one. Its
   * scope is the principal, the route and the key; the hash covers the route, the path's
   * application id and the parsed body.
   */
  private keyed(
    options: RequestOptions,
    route: IdempotentRoute,
    principal: Principal,
    request: { applicationId?: string; body: unknown },
  ): Keyed | undefined {
    if (options.idempotencyKey === undefined) return undefined;
    const key = parseOrThrow(IdempotencyKeySchema, options.idempotencyKey, IDEMPOTENCY_FIELD);
    const requestHash = createHash('sha256')
      .update(canonicalJson({ route: ROUTE_OF[route], applicationId: request.applicationId, body: request.body }))
      .digest('hex');
    return { scope: { sub: principal.sub, route, key }, requestHash };
  }

  /**
   * The marker an earlier request with this key left: undefined when there is none (this request
   * is the first), 422 when it was for another request. `afterLostRace`: our write found the key
   * taken, so the winner's marker exists; read once more if it is not visible yet.
   */
  private async earlier(keyed: Keyed, afterLostRace = false): Promise<IdempotencyMarker | undefined> {
    const { records } = this.deps;
    if (!records.getIdempotencyMarker) throw new Error('These records keep no Idempotency-Key markers');
    let marker = await records.getIdempotencyMarker(keyed.scope);
    if (!marker && afterLostRace) marker = await records.getIdempotencyMarker(keyed.scope);
    if (marker && marker.requestHash !== keyed.requestHash) throw new IdempotencyKeyReusedError();
    return marker;
  }

  private marker(keyed: Keyed, created: { applicationId: string; evidenceId?: string }): IdempotencyMarker {
    const now = this.now();
    return {
      ...keyed.scope,
      requestHash: keyed.requestHash,
      ...created,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS).toISOString(),
    };
  }

  /** An application as the API shows it: the record, its review chain, checklist and threshold warnings. */
  private view(application: ApplicationRecord, campaign: Campaign, evidence: EvidenceRecord[]) {
    const rules = this.rules(application, campaign);
    return {
      ...publicView(application),
      reviewChain: reviewChain(application.countyCode),
      checklist: checklistStatus(rules.checklist, evidence, this.now()),
      warnings: precheckThresholds(rules.thresholds, application.form),
    };
  }

  /** A repeated create: the draft the first request made. */
  private async replayCreate(marker: IdempotencyMarker) {
    const application = await this.deps.records.getApplication(marker.applicationId);
    if (!application) throw new Error(`Idempotency marker names no application ${marker.applicationId}`);
    const [campaign, evidence] = await Promise.all([
      this.deps.campaigns.get(application.campaignId),
      this.deps.records.listEvidence(application.applicationId),
    ]);
    return this.view(application, campaign, evidence);
  }

  async create(input: unknown, caller: Caller, options: RequestOptions = {}) {
    const { principal } = caller;
    // The county filed for is in the body: refuse those who may file for no county before reading it.
    assertAllowed(may.file(principal, principal.jurisdiction), 'file', principal);
    const body = parseOrThrow(CreateApplicationBodySchema, input);
    // Co-located counties are listed, not filing: only the applicant county's own official files.
    assertAllowed(may.file(principal, body.countyCode), 'file', principal);
    // A repeat answers as the first request did, whatever changed since (the deadline passing).
    const keyed = this.keyed(options, 'CREATE', principal, { body });
    const repeated = keyed && (await this.earlier(keyed));
    if (repeated) return this.replayCreate(repeated);
    const campaign = await this.deps.campaigns.find(body.campaignId);
    if (!campaign) {
      throw new ValidationError(`Unknown campaign ${body.campaignId}`, [
        { field: 'campaignId', code: 'UNKNOWN_CAMPAIGN', message: `no campaign has id ${body.campaignId}` },
      ]);
    }
    if (!campaign.tracks[body.track]) {
      throw new ValidationError(`Campaign ${campaign.campaignId} has no ${body.track} track`, [
        {
          field: 'track',
          code: 'UNKNOWN_TRACK',
          message: `must be one of ${Object.keys(campaign.tracks).join(', ')}`,
        },
      ]);
    }
    const chain = this.countyChain(body.countyCode, 'countyCode');
    const coCountyErrors = body.coCountyCodes.flatMap((code, i): ErrorDetail[] =>
      findJurisdiction(code)?.applicant && code !== body.countyCode
        ? []
        : [
            {
              field: `coCountyCodes.${i}`,
              code: 'UNKNOWN_JURISDICTION',
              message: `${code} is not another county`,
            },
          ],
    );
    if (coCountyErrors.length) throw new ValidationError('Invalid co-located counties', coCountyErrors);
    const form = parseOrThrow(draftFormSchema(body.track), body.form, 'form');

    const rules = effectiveRules(campaign, body.track, body.countyCode);
    const dueAt = rules.deadlines.submission ?? campaign.calendar.province;
    this.assertTakingApplications(campaign, dueAt, 'campaignId');

    const now = this.now().toISOString();
    const application: ApplicationRecord = {
      applicationId: this.newId(),
      campaignId: campaign.campaignId,
      track: body.track,
      countyCode: body.countyCode,
      provincialCode: provincialLevelOf(body.countyCode).code,
      cityCode: chain.find((stage) => stage.stage === 'city')?.jurisdictionCode,
      clusterName: body.clusterName,
      leadingIndustry: body.leadingIndustry,
      subSector: body.subSector,
      coCountyCodes: body.coCountyCodes,
      alsoProvincial: body.alsoProvincial,
      form,
      status: 'DRAFT',
      revision: 0,
      dueAt,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.records.createApplication(
        application,
        this.audit(application, caller, 'APPLICATION_CREATED', { toStatus: 'DRAFT' }),
        keyed && this.marker(keyed, { applicationId: application.applicationId }),
      );
    } catch (error) {
      // Another request with the same key won the race: answer as its repeat.
      const winner = keyed && isKeyInUse(error) ? await this.earlier(keyed, true) : undefined;
      if (winner) return this.replayCreate(winner);
      throw error;
    }
    return this.view(application, campaign, []);
  }

  private countyChain(code: string, field: string) {
    try {
      return reviewChain(code);
    } catch (error) {
      if (error instanceof UnknownJurisdictionError) {
        throw new ValidationError(`Unknown county ${code}`, [
          { field, code: 'UNKNOWN_JURISDICTION', message: `${code} is not a county-level GB/T 2260 code` },
        ]);
      }
      throw error;
    }
  }

  /** Every transition of the application, oldest first, from its audit trail. */
  async history(applicationId: string, principal: Principal) {
    const application = await this.authorised(applicationId, principal, 'read');
    const events = await this.deps.records.listAudit(applicationId);
    return {
      applicationId,
      clusterName: application.clusterName,
      status: application.status,
      events: events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.eventId.localeCompare(b.eventId)),
    };
  }

  async get(applicationId: string, principal: Principal) {
    const { application, campaign } = await this.load(applicationId, principal, 'read');
    const [evidence, history] = await Promise.all([
      this.deps.records.listEvidence(applicationId),
      this.deps.records.listAudit(applicationId),
    ]);
    return { ...this.view(application, campaign, evidence), evidence, history };
  }

  async patch(applicationId: string, input: unknown, caller: Caller) {
    const { application, campaign } = await this.load(applicationId, caller.principal, 'actAsApplicant');
    const body = parseOrThrow(PatchApplicationBodySchema, input);
    if (!EDITABLE_STATUSES.includes(application.status)) {
      throw new ConflictError(
        'NOT_EDITABLE',
        `The application is ${application.status} and can no longer be edited`,
      );
    }
    if (body.revision !== undefined && body.revision !== application.revision) {
      throw new ConflictError('CONCURRENT_CHANGE', 'The application changed since you loaded it', [
        {
          field: 'revision',
          code: 'STALE_REVISION',
          message: `the current revision is ${application.revision}`,
        },
      ]);
    }
    const { revision: _ignored, form: formPatch, ...fields } = body;
    const form = parseOrThrow(
      draftFormSchema(application.track),
      { ...application.form, ...formPatch },
      'form',
    );
    const updated: ApplicationRecord = {
      ...application,
      ...fields,
      form,
      revision: application.revision + 1,
      updatedAt: this.now().toISOString(),
    };
    await this.deps.records.saveApplication(
      updated,
      application,
      this.audit(application, caller, 'FORM_UPDATED', { detail: { fields: Object.keys(body) } }),
    );
    const rules = this.rules(updated, campaign);
    return { ...publicView(updated), warnings: precheckThresholds(rules.thresholds, form) };
  }

  /** The application still takes this item's evidence now (status and deadline). */
  private assertTakingEvidence(
    application: ApplicationRecord,
    campaign: Campaign,
    item: ChecklistItem,
  ): readonly ApplicationStatus[] {
    // The county adds evidence while it may edit; the city adds its on-site statement while it reviews.
    const uploadStatuses = UPLOAD_STATUSES[item.uploadedBy];
    if (!uploadStatuses.includes(application.status)) {
      throw new ConflictError(
        'NOT_EDITABLE',
        `The application is ${application.status}: ${item.id} is uploaded by the ${item.uploadedBy} while the application is ${uploadStatuses.join(' or ')}`,
      );
    }
    this.assertTakingApplications(campaign, application.dueAt);
    return uploadStatuses;
  }

  private static done(evidence: EvidenceRecord): ConflictError {
    return new ConflictError(
      'IDEMPOTENT_REQUEST_DONE',
      `The evidence item ${evidence.evidenceId} this request created is already ${evidence.status}`,
      [
        {
          field: IDEMPOTENCY_FIELD,
          code: 'IDEMPOTENT_REQUEST_DONE',
          message: `its upload was already received: the item is ${evidence.status}`,
          evidenceId: evidence.evidenceId,
          status: evidence.status,
        },
      ],
    );
  }

  /**
   * A repeated upload request: the item the first request made, with a fresh link to the same
   * object (the first may have expired), while the item still waits for its bytes; 409
   * IDEMPOTENT_REQUEST_DONE once an upload was recorded for it.
   */
  private async replayEvidence(
    marker: IdempotencyMarker,
    application: ApplicationRecord,
    campaign: Campaign,
    item: ChecklistItem,
  ) {
    const { records } = this.deps;
    const evidenceId = marker.evidenceId ?? '';
    const evidence = await records.getEvidence(marker.applicationId, evidenceId);
    if (!evidence) throw new Error(`Idempotency marker names no evidence ${marker.applicationId}/${evidenceId}`);
    if (evidence.status !== 'PENDING' || evidence.validatedSequencer !== undefined) throw Intake.done(evidence);
    this.assertTakingEvidence(application, campaign, item);
    if (!records.renewUpload) throw new Error('Intake was built with records that cannot renew uploads');
    const { upload, expiresAt } = await this.presign(evidence.objectKey, evidence.contentType, evidence.declaredSize);
    // The validator refuses bytes that arrive after the item's deadline: move it with the link.
    const renewed = await records.renewUpload(evidence, expiresAt);
    if (!renewed) {
      const now = await records.getEvidence(evidence.applicationId, evidence.evidenceId);
      throw Intake.done(now ?? evidence);
    }
    return { ...renewed, upload: { ...upload, expiresAt } };
  }

  /** A presigned POST for an evidence object, valid UPLOAD_URL_TTL_SECONDS from now, and when it expires. */
  private async presign(key: string, contentType: string, size: number) {
    if (!this.deps.uploads) throw new Error('Intake was built without an upload signer');
    const expiresAt = new Date(this.now().getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString();
    const upload = await this.deps.uploads.presignUpload({ key, contentType, size, expiresInSeconds: UPLOAD_URL_TTL_SECONDS });
    return { upload, expiresAt };
  }

  async requestEvidenceUpload(applicationId: string, input: unknown, caller: Caller, options: RequestOptions = {}) {
    // Who may upload depends on the item (the county's, or the city's own): read access first, so
    // no one outside the application learns anything from the body's checks.
    const { application, campaign } = await this.load(applicationId, caller.principal, 'read');
    const { principal } = caller;
    if (principal.role === 'operator') assertAllowed(false, 'uploadEvidence', principal);
    const body = parseOrThrow(EvidenceRequestBodySchema, input);
    const rules = this.rules(application, campaign);
    const item = rules.checklist.find((candidate) => candidate.id === body.criterion);
    if (!item) {
      throw new ValidationError(`Unknown checklist item ${body.criterion}`, [
        {
          field: 'criterion',
          code: 'UNKNOWN_CRITERION',
          message: `must be one of ${rules.checklist.map((c) => c.id).join(', ')}`,
        },
      ]);
    }
    assertAllowed(may.uploadEvidence(principal, application, item.uploadedBy), 'uploadEvidence', principal);
    // A repeat is checked before the file and the item's file count (its own item counts now).
    const keyed = this.keyed(options, 'EVIDENCE', principal, { applicationId, body });
    const repeated = keyed && (await this.earlier(keyed));
    if (repeated) return this.replayEvidence(repeated, application, campaign, item);
    const uploadStatuses = this.assertTakingEvidence(application, campaign, item);
    const fileType = FILE_TYPE_BY_MIME.get(body.contentType) as FileType;
    const problems: ErrorDetail[] = [];
    if (!item.fileTypes.includes(fileType)) {
      problems.push({
        field: 'contentType',
        code: 'TYPE_NOT_ALLOWED',
        message: `${item.id} accepts ${item.fileTypes.join(', ')}`,
      });
    } else if (!EXTENSIONS[fileType].some((ext) => body.fileName.toLowerCase().endsWith(ext))) {
      problems.push({
        field: 'fileName',
        code: 'EXTENSION_MISMATCH',
        message: `a ${fileType} file name ends with ${EXTENSIONS[fileType].join(' or ')}`,
      });
    }
    if (body.size > item.maxBytes) {
      problems.push({
        field: 'size',
        code: 'TOO_LARGE',
        message: `at most ${item.maxBytes} bytes for ${item.id}`,
      });
    }
    if (problems.length) throw new ValidationError('The file cannot be accepted for this item', problems);

    const existing = await this.deps.records.listEvidence(applicationId);
    const status = checklistStatus([item], existing, this.now())[0];
    if (status && status.valid + status.pending >= item.maxFiles) {
      // A request with the same key may have added its item since the check above (both sent at
      // once): its marker was written with that item, so this one is its repeat.
      const winner = keyed && (await this.earlier(keyed));
      if (winner) return this.replayEvidence(winner, application, campaign, item);
      throw new ConflictError('TOO_MANY_FILES', `${item.id} takes at most ${item.maxFiles} files`, [
        { field: 'criterion', code: 'TOO_MANY_FILES', message: `at most ${item.maxFiles} files` },
      ]);
    }

    const evidenceId = this.newId();
    const objectKey = `${EVIDENCE_PREFIX}${applicationId}/${evidenceId}`;
    // Sign first: if signing fails nothing is written.
    const { upload, expiresAt } = await this.presign(objectKey, body.contentType, body.size);
    const evidence: EvidenceRecord = {
      applicationId,
      evidenceId,
      criterion: item.id,
      fileName: body.fileName,
      contentType: body.contentType,
      fileType,
      declaredSize: body.size,
      declaredSha256: body.sha256,
      maxBytes: item.maxBytes,
      objectKey,
      status: 'PENDING',
      requestedAt: this.now().toISOString(),
      uploadExpiresAt: expiresAt,
      findings: [],
      warnings: [],
    };
    try {
      await this.deps.records.createEvidence(
        evidence,
        uploadStatuses,
        this.audit(application, caller, 'EVIDENCE_REQUESTED', { detail: { evidenceId, criterion: item.id } }),
        keyed && this.marker(keyed, { applicationId, evidenceId }),
      );
    } catch (error) {
      // Another request with the same key won the race: answer as its repeat.
      const winner = keyed && isKeyInUse(error) ? await this.earlier(keyed, true) : undefined;
      if (winner) return this.replayEvidence(winner, application, campaign, item);
      throw error;
    }
    return { ...evidence, upload: { ...upload, expiresAt } };
  }

  async listEvidence(applicationId: string, principal: Principal) {
    await this.authorised(applicationId, principal, 'read');
    return this.deps.records.listEvidence(applicationId);
  }

  /** Refuses submission while a form field or checklist item is missing or invalid. */
  private async assertComplete(application: ApplicationRecord, campaign: Campaign): Promise<void> {
    const rules = this.rules(application, campaign);
    const evidence = await this.deps.records.listEvidence(application.applicationId);
    // What the county owes; the city's own items are checked when the city decides.
    const countyItems = rules.checklist.filter((item) => item.uploadedBy === 'county');
    const checklist = checklistStatus(countyItems, evidence, this.now());
    const problems: ErrorDetail[] = [
      ...missingFormFields(application.track, application.form, campaign.year),
      ...checklist.flatMap((item): ErrorDetail[] =>
        item.problem
          ? [
              {
                field: `checklist.${item.id}`,
                code: item.problem,
                message: `${item.title.zh}：${CHECKLIST_PROBLEM_MESSAGES[item.problem].zh} / ${item.title.en}: ${CHECKLIST_PROBLEM_MESSAGES[item.problem].en}`,
                reasons: evidence
                  .filter((e) => e.criterion === item.id && e.status === 'INVALID')
                  .flatMap((e) =>
                    e.findings.map((f) => ({ evidenceId: e.evidenceId, code: f.code, message: f.message })),
                  ),
              },
            ]
          : [],
      ),
    ];
    if (problems.length) {
      throw new ConflictError('SUBMISSION_INCOMPLETE', 'The application is not complete', problems);
    }
  }

  async submit(applicationId: string, caller: Caller) {
    const { application, campaign } = await this.load(applicationId, caller.principal, 'actAsApplicant');
    if (application.status === 'RETURNED' || awaitsWorkflow(application)) {
      return this.resubmit(application, campaign, caller);
    }
    if (awaitsFirstStart(application)) {
      // Saved as SUBMITTED, but the workflow may never have started (the first request died between
      // the two). Starting again is safe (the execution's name makes it a no-op when it did start);
      // the answer stays 409 ALREADY_SUBMITTED, as the contract says.
      await this.deps.workflow.start(application);
    }
    if (application.status !== 'DRAFT') {
      throw new ConflictError('ALREADY_SUBMITTED', `The application is already ${application.status}`, [
        { field: 'status', code: 'ALREADY_SUBMITTED', message: `status is ${application.status}` },
      ]);
    }
    this.assertTakingApplications(campaign, application.dueAt);
    const rules = this.rules(application, campaign);
    await this.assertComplete(application, campaign);
    const now = this.now().toISOString();
    const chain = reviewChain(application.countyCode);
    const submitted: ApplicationRecord = {
      ...application,
      status: 'SUBMITTED',
      revision: application.revision + 1,
      // Until the review workflow takes over, the next deadline is the first review stage's.
      dueAt: rules.deadlines[chain[0]?.stage ?? 'province'] ?? campaign.calendar.province,
      submittedAt: now,
      updatedAt: now,
    };
    await this.deps.records.saveApplication(
      submitted,
      application,
      this.audit(application, caller, 'SUBMITTED', { fromStatus: 'DRAFT', toStatus: 'SUBMITTED' }),
    );
    await this.deps.workflow.start(submitted);
    return { ...publicView(submitted), warnings: precheckThresholds(rules.thresholds, application.form) };
  }

  /**
   * A RETURNED application goes back to the stage that returned it: SUBMITTED (revision + 1)
   * until the workflow, handed the resubmission, enters the stage again. Due by the stage deadline
   * (`dueAt` while RETURNED). A repeated call while the hand-over is pending repeats the hand-over.
   */
  private async resubmit(application: ApplicationRecord, campaign: Campaign, caller: Caller) {
    const rules = this.rules(application, campaign);
    const warnings = precheckThresholds(rules.thresholds, application.form);
    if (awaitsWorkflow(application)) {
      await this.deps.workflow.resubmitted(application);
      return { ...publicView(application), warnings };
    }
    if (!application.resubmissionToken) {
      // The workflow records the return in two steps; the second follows within moments.
      throw new ConflictError(
        'RESUBMISSION_NOT_READY',
        'The return is still being recorded; try again in a few seconds',
        [
          {
            field: 'status',
            code: 'RESUBMISSION_NOT_READY',
            message: '退回处理中，请稍后重试 / the return is still being recorded, try again shortly',
          },
        ],
      );
    }
    this.assertTakingApplications(campaign, application.dueAt);
    await this.assertComplete(application, campaign);
    const now = this.now().toISOString();
    const resubmitted: ApplicationRecord = {
      ...application,
      status: 'SUBMITTED',
      revision: application.revision + 1,
      resubmittedAt: now,
      updatedAt: now,
    };
    await this.deps.records.saveApplication(
      resubmitted,
      application,
      this.audit(application, caller, 'RESUBMITTED', {
        fromStatus: 'RETURNED',
        toStatus: 'SUBMITTED',
        detail: { stage: application.stage, round: application.round },
      }),
    );
    await this.deps.workflow.resubmitted(resubmitted);
    return { ...publicView(resubmitted), warnings };
  }
}

/** SUBMITTED for the first time, before the workflow took it to a stage. */
function awaitsFirstStart(application: ApplicationRecord): boolean {
  return application.status === 'SUBMITTED' && application.stage === undefined && application.resubmissionToken === undefined;
}

/** SUBMITTED again after a return, the workflow not yet back at the stage (it clears the token). */
function awaitsWorkflow(application: ApplicationRecord): boolean {
  return application.status === 'SUBMITTED' && application.resubmissionToken !== undefined;
}

/** The record as its readers see it: the workflow's task token is not theirs to hold. */
export function publicView(application: ApplicationRecord): Omit<ApplicationRecord, 'resubmissionToken'> {
  const { resubmissionToken: _secret, ...view } = application;
  return view;
}
