/**
 * S3 quotes ETags in headers and not in event records: compare them bare. A module of its own, so
 * the download links' adapter does not bring the validator's object mover (copy, delete) along.
 */
export const bareETag = (eTag: string | undefined): string | undefined => eTag?.replace(/^"|"$/g, '') || undefined;
