/** Where evidence lives in the bucket, and how long an upload link lasts: read by intake, the validator, the stack and the local runtime. */

/** Presigned uploads expire quickly: long enough for a slow county connection, no longer. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** Prefix under which evidence objects are written; the validator listens to it only. */
export const EVIDENCE_PREFIX = 'evidence/';
/** Objects that match no evidence request are moved here and kept for inspection. */
export const QUARANTINE_PREFIX = 'quarantine/';
