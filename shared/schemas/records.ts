import * as z from 'zod';
import {
  ApplicationStatusSchema,
  BilingualSchema,
  DivisionCodeSchema,
  EvidenceStatusSchema,
  FileTypeSchema,
  IsoDateTimeSchema,
  Sha256HexSchema,
  TrackSchema,
} from './common.ts';
import { StageNameSchema, StepRefSchema } from '../ladder/contract.ts';
import { EVIDENCE_PREFIX } from '../rules/storage.ts';

/**
 * What the table holds, item by item. Everything read back from DynamoDB is parsed with these
 * schemas (never cast); key attributes (pk, sk, gsi*) are derived in the repository and stripped.
 */

export const FindingSchema = z.object({
  code: z.string(),
  message: BilingualSchema,
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type FindingRecord = z.infer<typeof FindingSchema>;

export const ApplicationRecordSchema = z.object({
  applicationId: z.uuid(),
  campaignId: z.string(),
  track: TrackSchema,
  countyCode: DivisionCodeSchema,
  /** The jurisdiction that holds the provincial-rank quota: province, municipality, planned city or XPCC. */
  provincialCode: DivisionCodeSchema,
  cityCode: DivisionCodeSchema.optional(),
  clusterName: z.string(),
  leadingIndustry: z.string(),
  subSector: z.string(),
  coCountyCodes: z.array(DivisionCodeSchema),
  /** Set by counties on applications stored before the city's statement replaced it; read by nothing. */
  alsoProvincial: z.boolean().optional(),
  /**
   * The city's statement where the province's overlay asks for it (Jilin): whether this provincial
   * candidate is also recommended for national status. Written with the city's approval.
   */
  alsoNational: z.boolean().optional(),
  /**
   * The province sent it on as a national candidate without recognising it provincially: the
   * stated exception where national applicants are recognised provincially first (Shanxi). The
   * reason is in the audit trail, with the decision that stated it.
   */
  nationalException: z.boolean().optional(),
  /**
   * The register entry this application is filed for (re-review, typical case): its identity
   * (cluster name, leading industry, sub-sector) was taken from the entry and is locked.
   */
  registerEntryId: z.string().min(1).optional(),
  /** The application form as last saved; complete only once submitted. */
  form: z.record(z.string(), z.unknown()),
  status: ApplicationStatusSchema,
  /** Incremented on every change: optimistic locking, and later the workflow execution name. */
  revision: z.int().nonnegative(),
  /** When the current stage must be done (for a draft: the submission deadline). */
  dueAt: IsoDateTimeSchema,
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  submittedAt: IsoDateTimeSchema.optional(),

  // ---- Set by the review ladder (shared/ladder/); absent until the workflow runs.
  /** The review stage the application is at (or was last at, once it is closed). */
  stage: StageNameSchema.optional(),
  /** 1 for the first review at `stage`, +1 after each resubmission or upheld objection. */
  round: z.int().positive().optional(),
  /** Which of the stage's declared steps it is at; absent before steps were data: the stage's review. */
  step: StepRefSchema.optional(),
  /** The workflow execution carrying this application (to stop it on withdrawal or cancellation). */
  executionArn: z.string().min(1).optional(),
  /**
   * While RETURNED: the task token the resubmission completes (SendTaskSuccess). A secret of the
   * workflow: never shown to the applicant, never emailed, never in a URL.
   */
  resubmissionToken: z.string().min(1).optional(),
  resubmittedAt: IsoDateTimeSchema.optional(),
  /** Why it was last returned, rejected, cancelled, withdrawn or declared overdue. */
  decisionReason: z.string().optional(),
  noticeStartedAt: IsoDateTimeSchema.optional(),
  /** End of the public notice (公示): objections are taken until then. */
  noticeEndsAt: IsoDateTimeSchema.optional(),
  recognizedAt: IsoDateTimeSchema.optional(),
  /** Recognition lapses then unless renewed by a re-review. */
  validUntil: IsoDateTimeSchema.optional(),
  /** Which applicant email was last sent (`<status>#<stage>#<round>`): a retried task sends none twice. */
  lastApplicantNotice: z.string().optional(),
});
export type ApplicationRecord = z.infer<typeof ApplicationRecordSchema>;

/**
 * The fields of an uploaded file kept by a record of its own (an evidence item, an annual
 * report's file, a level's document): what was declared when the upload was asked for, where the object goes, and the
 * validator's verdict (PENDING until its first, then VALID or INVALID, the version pinned). Each
 * record extends it with whose file it is, and narrows `objectKey` to its own prefix.
 */
export const UploadedFileFieldsSchema = z.object({
  fileName: z.string().min(1),
  contentType: z.string().min(1),
  fileType: FileTypeSchema,
  declaredSize: z.int().positive(),
  declaredSha256: Sha256HexSchema.optional(),
  /** The kind's size limit when the upload was requested; the validator enforces it. */
  maxBytes: z.int().positive(),
  objectKey: z.string().min(1),
  status: EvidenceStatusSchema,
  requestedAt: IsoDateTimeSchema,
  uploadExpiresAt: IsoDateTimeSchema,
  /** Reasons the file was refused (INVALID). */
  findings: z.array(FindingSchema).default([]),
  size: z.int().nonnegative().optional(),
  sha256: Sha256HexSchema.optional(),
  validatedAt: IsoDateTimeSchema.optional(),
  /** The S3 event whose object decided the verdict: the first verdict stands, a replay changes nothing. */
  validatedSequencer: z.string().optional(),
  /** The S3 version the validator read (a versioned bucket): downloads get exactly it. */
  versionId: z.string().min(1).optional(),
  /** The ETag of the bytes the validator read (unquoted): the pin where no versions are kept. */
  eTag: z.string().min(1).optional(),
});

export const EvidenceRecordSchema = UploadedFileFieldsSchema.extend({
  applicationId: z.uuid(),
  evidenceId: z.uuid(),
  /** The checklist item this file proves (the API calls it `criterion`). */
  criterion: z.string(),
  objectKey: z.string().startsWith(EVIDENCE_PREFIX),
  /** The filing deadline the upload answered to (the application's dueAt): no byte counts after it. */
  uploadDeadline: IsoDateTimeSchema.optional(),
  /** Notes that do not refuse the file, such as the same bytes uploaded twice. */
  warnings: z.array(FindingSchema).default([]),
});
export type EvidenceRecord = z.infer<typeof EvidenceRecordSchema>;

export const AUDIT_ACTIONS = [
  'APPLICATION_CREATED',
  'FORM_UPDATED',
  'EVIDENCE_REQUESTED',
  'EVIDENCE_VALIDATED',
  'EVIDENCE_REJECTED',
  'SUBMITTED',
  // The review ladder:
  'STAGE_ENTERED',
  'STEP_ENTERED',
  'RETURNED',
  'RESUBMISSION_AWAITED',
  'RESUBMITTED',
  'REJECTED',
  'OVERDUE',
  'CANCELLED',
  'WITHDRAWN',
  'PUBLIC_NOTICE_STARTED',
  'RECOGNIZED',
  'APPLICANT_NOTIFIED',
  // The review desk, the sweeper and operators:
  'OBJECTION_FILED',
  'OBJECTION_UPHELD',
  'OBJECTION_DISMISSED',
  'LINK_REISSUED',
  'REMINDER_SENT',
  'EXECUTION_REDRIVEN',
  // An evidence file its uploader removed (shared/intake/evidence-removal.ts):
  'EVIDENCE_REMOVED',
  // A person's decision at a review step, naming them (shared/review/decision-audit.ts):
  'REVIEW_APPROVED',
  'REVIEW_RETURNED',
  'REVIEW_REJECTED',
  // A decision recorded above whose task had already ended (the stage timed out, the workflow
  // stopped): it did not take effect, and the trail says so beside it.
  'DECISION_NOT_TAKEN',
  // The expert panel (shared/review/panel/):
  'PANEL_EXPERT_SEATED',
  'PANEL_EXPERT_REPLACED',
  'PANEL_NO_CONFLICT_DECLARED',
  'PANEL_EXPERT_RECUSED',
  'PANEL_SCORED',
  'PANEL_CLOSED',
  // A formal-letter step completed by the level's filed letter (shared/review/level-documents/gate.ts):
  'FORMAL_LETTER_ACCEPTED',
  // The level told, once, that its filed letter could not complete the step over a full quota (the same gate):
  'QUOTA_FULL_TOLD',
  // A typical case's outcome at MIIT (shared/ladder/selection.ts), and the migration of one marked
  // RECOGNIZED under the old rules (shared/register/typical-migration.ts):
  'SELECTED',
  'NOT_SELECTED',
  'MIGRATED_TO_SELECTED',
  // Cancellation for false information asked for, and declined (shared/revocation/); confirmed, it is CANCELLED:
  'REVOCATION_REQUESTED',
  'REVOCATION_DECLINED',
  // Recognised on its province's own list, not sent on to MIIT (shared/ladder/provincial-track.ts):
  'PROVINCIALLY_RECOGNIZED',
] as const;

/** Who acted, as the audit trail names them (issue 5's sign-in gives people these roles). */
export const ACTOR_ROLES = [
  'applicant',
  'reviewer',
  'operator',
  'public',
  'workflow',
  'validator',
  'scheduler',
  // A member of an expert panel, acting through their seat's emailed link:
  'expert',
] as const;
export const ActorRoleSchema = z.enum(ACTOR_ROLES);
export type ActorRole = z.infer<typeof ActorRoleSchema>;

export const AuditEventSchema = z.object({
  applicationId: z.uuid(),
  eventId: z.uuid(),
  at: IsoDateTimeSchema,
  action: z.enum(AUDIT_ACTIONS),
  /** Who acted, by a stable id: a person's token subject, a link's addresses, a program's name. Tracing searches by it. */
  actor: z.string(),
  /**
   * The person's display name where there is one (the token's `name` claim, an expert's name on
   * their seat), for a reader to tell who it was; free text, bounded as the claim is. Absent on
   * events written before names were recorded, for a link holder and for the pipeline.
   */
  actorName: z.string().max(128).optional(),
  /** Absent on events written before roles were recorded. */
  role: ActorRoleSchema.optional(),
  /** The jurisdiction the actor acted for (GB/T 2260; 000000 for MIIT). */
  jurisdiction: DivisionCodeSchema.optional(),
  fromStatus: ApplicationStatusSchema.optional(),
  toStatus: ApplicationStatusSchema.optional(),
  reason: z.string().optional(),
  requestId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
