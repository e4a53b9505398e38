import type { EvidenceRequest, PresignedPost, RequestedUpload } from './types.ts';

/**
 * The presigned-POST upload, written once for the whole repository: the multipart form a browser
 * builds from `upload.url` and `upload.fields` (each policy field, then the file last, as S3
 * requires), posted straight to the bucket with fetch. No API token goes along: the policy in the
 * fields is the credential.
 */

export interface UploadFile {
  bytes: Uint8Array;
  /** The file's Content-Type in the form (default application/pdf). */
  contentType?: string;
  /** The file name the browser would send with it. */
  fileName?: string;
  /** Extra request headers (an Origin, to see the bucket's CORS answer). */
  headers?: Record<string, string>;
}

export interface PostedUpload {
  status: number;
  ok: boolean;
  headers: Headers;
  /** S3's answer (empty on success, an XML error otherwise). */
  text: string;
}

export async function postPresigned(
  link: Pick<PresignedPost, 'url' | 'fields'>,
  file: UploadFile,
): Promise<PostedUpload> {
  const form = new FormData();
  for (const [name, value] of Object.entries(link.fields)) form.append(name, value);
  const blob = new Blob([file.bytes], { type: file.contentType ?? 'application/pdf' });
  if (file.fileName === undefined) form.append('file', blob);
  else form.append('file', blob, file.fileName);
  const response = await fetch(link.url, {
    method: 'POST',
    body: form,
    ...(file.headers && { headers: file.headers }),
  });
  return { status: response.status, ok: response.ok, headers: response.headers, text: await response.text() };
}

/** The client calls the upload needs (ApiClient has them). */
interface EvidenceClient {
  requestUpload(
    applicationId: string,
    request: EvidenceRequest,
    options?: { idempotencyKey?: string },
  ): Promise<{ status: number; body: RequestedUpload; text: string }>;
}

export interface UploadedEvidence<Settled> {
  /** The evidence request's answer (201): the item, its object key and the presigned POST. */
  requested: RequestedUpload;
  posted: PostedUpload;
  /** What `settled` resolved with (the validator's run), once the bytes were stored. */
  settled: Settled;
}

/**
 * A person's whole upload of one file: asks the API for the presigned POST (201), starts waiting
 * for what follows the bytes (`settled`, e.g. the local stack's validator event; subscribed before
 * the bytes go, so it cannot be missed), posts the bytes to the bucket, and waits. Throws with the
 * answer when the API or the bucket refuses. With an `idempotencyKey`, a client that sends the
 * request again (after a 500 or a timeout) gets the same evidence item and link, never a second.
 */
export async function uploadEvidence<Settled = undefined>(
  client: EvidenceClient,
  applicationId: string,
  request: EvidenceRequest,
  file: UploadFile,
  settled?: (objectKey: string) => Promise<Settled>,
  options: { idempotencyKey?: string } = {},
): Promise<UploadedEvidence<Settled>> {
  const answer = await client.requestUpload(applicationId, request, options);
  if (answer.status !== 201) {
    throw new Error(
      `evidence request ${request.criterion} of ${applicationId}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`,
    );
  }
  const requested = answer.body;
  const waiting = settled?.(requested.objectKey);
  // A refused post would leave `waiting` to time out unobserved.
  waiting?.catch(() => undefined);
  const posted = await postPresigned(requested.upload, {
    contentType: request.contentType,
    fileName: request.fileName,
    ...file,
  });
  if (!posted.ok)
    throw new Error(`upload of ${requested.objectKey}: HTTP ${posted.status} ${posted.text.slice(0, 500)}`);
  return { requested, posted, settled: (await waiting) as Settled };
}
