import type { LevelDocumentRecord, SummaryTable } from '../review/level-documents/records.ts';
import type { LevelDocuments } from './steps.ts';

/*
 * What the level documents need from the world (shared/review/level-documents/): their records
 * (shared/adapters/dynamo-level-documents.ts), beside the read port the package and the gate use.
 */

export interface LevelDocumentStore extends LevelDocuments {
  /** Stores a new PENDING document; false when one with its id exists already. */
  create(document: LevelDocumentRecord): Promise<boolean>;
  get(documentId: string): Promise<LevelDocumentRecord | undefined>;
  /**
   * Records the validator's verdict unless one was recorded already (the first verdict stands);
   * a VALID one is filed under its level in the same write. True when this call recorded it.
   */
  recordValidation(document: LevelDocumentRecord): Promise<boolean>;
  /** Attaches the generated summary table to a VALID document (once; later calls change nothing). */
  attachSummaryTable(documentId: string, table: SummaryTable): Promise<boolean>;
  /** Every document a level asked to file (any status) for a campaign and track, newest first. */
  listFiled(
    jurisdictionCode: string,
    campaignId: string,
    track: LevelDocumentRecord['track'],
  ): Promise<LevelDocumentRecord[]>;
}

/** The generated summary table of a level's list, as a file. */
export interface GeneratedTable {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/** Writes a generated summary table to the bucket (shared/adapters/s3-level-summaries.ts). */
export interface SummaryTableStorage {
  /** Stores the bytes under `key`; the version S3 kept, where the bucket keeps versions. */
  put(key: string, table: GeneratedTable): Promise<{ versionId?: string }>;
}
