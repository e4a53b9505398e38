/** Where evidence lives in the bucket, and how long an upload link lasts: read by intake, the validator, the stack and the local runtime. */

/** Presigned uploads expire quickly: long enough for a slow county connection, no longer. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** Prefix under which evidence objects are written; the validator listens to it only. */
export const EVIDENCE_PREFIX = 'evidence/';
/** Objects that match no evidence request are moved here and kept for inspection. */
export const QUARANTINE_PREFIX = 'quarantine/';
/**
 * Where a level's own documents (its formal letter, minutes, sampling record, candidate list) are
 * written: under evidence/, so the bucket's grants, CORS, lifecycle and the validator's
 * notification cover them as they cover application evidence; the validator routes them by this
 * prefix (shared/review/level-documents/check.ts).
 */
export const LEVEL_DOCUMENT_PREFIX = `${EVIDENCE_PREFIX}level-documents/`;
/**
 * Where the summary table generated for a filed letter is written (the validator, once the letter
 * is VALID): outside evidence/, so writing it never triggers the validator.
 */
export const LEVEL_SUMMARY_PREFIX = 'level-summaries/';
/**
 * Where a cluster's annual-report file is written (shared/annual-report/): under evidence/, so the
 * bucket's grants, CORS and the validator's notification cover it; the validator routes it by
 * this prefix.
 */
export const ANNUAL_REPORT_PREFIX = `${EVIDENCE_PREFIX}annual-reports/`;
