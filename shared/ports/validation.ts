/*
 * What the validator needs beyond the records and the clock (core.ts): the uploaded objects, and
 * somewhere to note what it did.
 */

/** Reads uploaded evidence and moves strays aside (the validator). */
export interface EvidenceObjects {
  /** Opens an object for one streaming read; undefined when it does not exist (any more). */
  open(key: string): Promise<{ body: AsyncIterable<Uint8Array>; contentType?: string } | undefined>;
  /** Moves an object that matches no evidence request aside, for an operator to look at. */
  quarantine(key: string): Promise<void>;
}

/** The validator's structured log line: what happened to an object, with its details. */
export type ValidatorLog = (message: string, detail: Record<string, unknown>) => void;
