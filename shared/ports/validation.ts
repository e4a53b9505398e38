/*
 * What the validator needs beyond the records and the clock (core.ts): the uploaded objects, and
 * somewhere to note what it did.
 */

/**
 * Which stored object an S3 event (or an evidence record) means: its version where the bucket
 * keeps versions (AWS), else its ETag (s3rver keeps none, so a second upload replaces the bytes).
 */
export interface ObjectVersion {
  versionId?: string | undefined;
  /** Without quotes. */
  eTag?: string | undefined;
}

/** Reads uploaded evidence and moves strays aside (the validator). */
export interface EvidenceObjects {
  /**
   * Opens an object for one streaming read: the given version, or the current object when its
   * ETag is the given one. Undefined when it does not exist (any more), or was replaced since.
   */
  open(
    key: string,
    version?: ObjectVersion,
  ): Promise<{ body: AsyncIterable<Uint8Array>; contentType?: string; versionId?: string; eTag?: string } | undefined>;
  /**
   * Moves an object aside, for an operator to look at: the given version (else the current
   * object, if it is still that one) is copied under quarantine/, then the key is deleted, unless
   * its current object is `keep` (the version an evidence item recorded). True when a copy was made.
   */
  quarantine(key: string, stray?: ObjectVersion, keep?: ObjectVersion): Promise<boolean>;
}

/** The validator's structured log line: what happened to an object, with its details. */
export type ValidatorLog = (message: string, detail: Record<string, unknown>) => void;
