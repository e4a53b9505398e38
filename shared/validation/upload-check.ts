import type { FileType } from '../schemas/common.ts';
import type { FindingRecord } from '../schemas/records.ts';
import { type Finding, type Inspection, type InspectionHow, inspectStream } from './inspect.ts';

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
