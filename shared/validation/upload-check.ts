import type { EvidenceObjects, ObjectVersion, ValidatorLog } from '../ports/validation.ts';
import type { FileType } from '../schemas/common.ts';
import type { FindingRecord } from '../schemas/records.ts';
import { type Finding, type Inspection, type InspectionHow, inspectStream } from './inspect.ts';
import { sequencerOrder } from './sequencer.ts';

/** One S3 ObjectCreated notification, already decoded. */
export interface ObjectCreated {
  key: string;
  size: number;
  sequencer: string;
  eventTime: string;
  /** The version S3 stored (a versioned bucket); s3rver keeps none. */
  versionId?: string | undefined;
  eTag?: string | undefined;
}

export type CheckOutcome = 'VALID' | 'INVALID' | 'REPLAYED' | 'QUARANTINED' | 'GONE' | 'IGNORED';

/** The object an S3 event names. */
export const eventObject = (event: ObjectCreated): ObjectVersion => ({ versionId: event.versionId, eTag: event.eTag });

/** Whether `event` is the very one that decided a file (a replay), by S3's ordering of sequencers. */
export const isDecidingEvent = (validatedSequencer: string, event: ObjectCreated): boolean =>
  sequencerOrder(validatedSequencer, event.sequencer) === 0;

/**
 * A second object for a file already decided (an evidence item, a level document, an annual
 * report's file): moved aside, keeping the version that was checked, and nothing on the record
 * changes. A file takes exactly one object, so an upload link used again can never swap the bytes
 * reviewers see. Without versions (s3rver) the second object may already be gone: 'GONE'.
 * `what` names the file in the log, with `facts` (whose file it is).
 */
export async function quarantineSecond(
  deps: { storage: Pick<EvidenceObjects, 'quarantine'>; log: ValidatorLog },
  event: ObjectCreated,
  decided: ObjectVersion & { status: string },
  what: string,
  facts: Record<string, unknown>,
): Promise<'QUARANTINED' | 'GONE'> {
  const moved = await deps.storage.quarantine(event.key, eventObject(event), {
    versionId: decided.versionId,
    eTag: decided.eTag,
  });
  deps.log(`second object for a decided ${what}; quarantined`, { ...facts, status: decided.status, moved });
  return moved ? 'QUARANTINED' : 'GONE';
}

/**
 * How long after a presigned link's expiry S3 may still report the object (a long upload that
 * began in time, clock skew). Never past a filing deadline: that one is checked on its own.
 */
export const LATE_UPLOAD_GRACE_MS = 60_000;

const UPLOAD_LATE = {
  zh: '上传链接已过期后才收到文件，请重新申请上传链接',
  en: 'The file arrived after the upload link expired; request a new link',
};

/** UPLOAD_LATE when the object arrived after its link expired, grace included. */
export function arrivedAfterLink(eventTime: string, uploadExpiresAt: string): FindingRecord | undefined {
  const late = Date.parse(eventTime) > Date.parse(uploadExpiresAt) + LATE_UPLOAD_GRACE_MS;
  return late ? { code: 'UPLOAD_LATE', message: UPLOAD_LATE } : undefined;
}

/** What an upload request recorded of the file it let in (an evidence item, a level document, an annual report's file). */
export interface RequestedFile {
  fileType: FileType;
  declaredSize: number;
  maxBytes: number;
  declaredSha256?: string | undefined;
  contentType: string;
}

/** An object opened for its one streaming read (`EvidenceObjects.open`). */
export interface OpenedUpload {
  body: AsyncIterable<Uint8Array>;
  contentType?: string | undefined;
}

const CONTENT_TYPE_MISMATCH = {
  zh: '上传时声明的文件类型与申请上传时不一致',
  en: 'The upload declared a different content type from the upload request',
};

/** A finding as an item stores it. */
export const findingRecord = ({ code, message, detail }: Finding): FindingRecord => ({
  code,
  message,
  ...(detail ? { detail } : {}),
});

/**
 * The inspection every upload check makes of the object against its request: the file's own
 * findings, as records, and a content type other than the one requested (s3rver does not enforce
 * presigned-POST policies; AWS does, and checking twice costs nothing). What arrives late, and
 * what follows, is each check's own.
 */
export async function inspectUpload(
  object: OpenedUpload,
  requested: RequestedFile,
  how?: InspectionHow,
): Promise<{ inspection: Inspection; findings: FindingRecord[] }> {
  const inspection = await inspectStream(
    object.body,
    {
      type: requested.fileType,
      declaredSize: requested.declaredSize,
      maxBytes: requested.maxBytes,
      sha256: requested.declaredSha256,
    },
    {},
    how,
  );
  const findings = inspection.findings.map(findingRecord);
  if (object.contentType !== undefined && object.contentType !== requested.contentType) {
    findings.push({
      code: 'CONTENT_TYPE_MISMATCH',
      message: CONTENT_TYPE_MISMATCH,
      detail: { declared: requested.contentType, uploaded: object.contentType },
    });
  }
  return { inspection, findings };
}
