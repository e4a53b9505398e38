/**
 * The summary table that goes with a filed letter: when a level's formal letter (or re-review
 * letter, or a Jilin city's candidate list) is VALID, the level's 推荐汇总表 (复核情况汇总表 on the
 * re-review) is generated as it stands then (the exports' own table, shared/operations/exports/),
 * stored in the bucket under level-summaries/ and attached to the letter's record with its SHA-256,
 * so the submission package includes exactly those bytes. Once per letter: a replay finds it
 * attached. A level that has no table of its own (a city whose province asks for none) gets none.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../platform/errors.ts';
import type { Clock } from '../../ports/core.ts';
import type { GeneratedTable, LevelDocumentStore, SummaryTableStorage } from '../../ports/level-documents.ts';
import type { LevelDocumentKind } from '../../ports/steps.ts';
import type { ValidatorLog } from '../../ports/validation.ts';
import { LEVEL_SUMMARY_PREFIX } from '../../rules/storage.ts';
import type { Level } from './filing.ts';
import type { LevelDocumentRecord } from './records.ts';

/** The kinds whose filing brings the level's summary table along. */
export const KINDS_WITH_SUMMARY: readonly LevelDocumentKind[] = [
  'formal-letter',
  'rereview-letter',
  'candidate-list',
  // The typical-case batch: its 典型案例信息汇总表 is generated with the level's measures.
  'cultivation-measures',
];

export interface SummaryDeps {
  documents: Pick<LevelDocumentStore, 'attachSummaryTable'>;
  storage: SummaryTableStorage;
  /** The level's table as it stands now (XLSX); throws a DomainError where the level has none. */
  generate: (level: Level) => Promise<GeneratedTable>;
  clock: Clock;
  log: ValidatorLog;
}

/** Generates, stores and attaches the letter's summary table; false when none applies or it was attached before. */
export async function attachSummaryTable(deps: SummaryDeps, document: LevelDocumentRecord): Promise<boolean> {
  if (document.status !== 'VALID' || document.summaryTable || !KINDS_WITH_SUMMARY.includes(document.kind)) return false;
  let table: GeneratedTable;
  try {
    table = await deps.generate(document);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    deps.log('no summary table for this level', { documentId: document.documentId, code: error.code });
    return false;
  }
  const key = `${LEVEL_SUMMARY_PREFIX}${document.documentId}/${table.fileName}`;
  const stored = await deps.storage.put(key, table);
  return deps.documents.attachSummaryTable(document.documentId, {
    s3Key: key,
    fileName: table.fileName,
    sha256: createHash('sha256').update(table.body).digest('hex'),
    size: table.body.byteLength,
    ...(stored.versionId !== undefined && { versionId: stored.versionId }),
    generatedAt: deps.clock().toISOString(),
  });
}
