import { DynamoLevelDocuments } from '../adapters/dynamo-level-documents.ts';
import { DynamoQuotas } from '../adapters/dynamo-quota.ts';
import { DynamoReviews } from '../adapters/dynamo-reviews/store.ts';
import { SfnTaskControl } from '../adapters/sfn-task-control.ts';
import type { Records } from '../ports/core.ts';
import type { EvidenceObjects, ValidatorLog } from '../ports/validation.ts';
import type { LevelDocumentCheckDeps } from '../review/level-documents/check.ts';
import { completeWaitingLetterSteps, type GateDeps } from '../review/level-documents/gate.ts';
import { letterKindFor, levelOfDocument } from '../review/level-documents/records.ts';
import { makeSfnClient } from './clients.ts';
import { systemClock } from './clock.ts';
import { campaignCatalog, type TableAccess } from './core.ts';

/** The levels' documents in the one table. */
export const levelDocuments = ({ documents, table }: TableAccess): DynamoLevelDocuments =>
  new DynamoLevelDocuments(documents, table);

/**
 * The validator's side of the level documents: their check, and, once a letter is VALID, the
 * formal-letter gate through the review desk's decision path (its reviews, the campaigns, the
 * quotas and Step Functions' task responses).
 */
export function validatorLevelDocuments(
  table: TableAccess,
  records: GateDeps['records'] & Pick<Records, 'getApplication'>,
  storage: EvidenceObjects,
  log: ValidatorLog,
): LevelDocumentCheckDeps {
  const documents = levelDocuments(table);
  const gate: GateDeps = {
    reviews: new DynamoReviews(table.documents, table.table),
    records,
    campaigns: campaignCatalog(table),
    quotas: new DynamoQuotas(table.documents, table.table),
    tasks: new SfnTaskControl(makeSfnClient()),
    levelDocuments: documents,
    clock: systemClock,
  };
  return {
    documents,
    storage,
    clock: systemClock,
    log,
    onFiled: async (document) => {
      if (document.kind !== letterKindFor(document.track)) return;
      const outcomes = await completeWaitingLetterSteps(gate, levelOfDocument(document));
      if (outcomes.length > 0) log('formal-letter steps settled', { documentId: document.documentId, outcomes });
    },
  };
}
