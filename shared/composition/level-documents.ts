import { randomUUID } from 'node:crypto';
import { NoPanels } from '../adapters/unwired-steps.ts';
import { DynamoLevelDocuments } from '../adapters/dynamo-level-documents.ts';
import { DynamoQuotas } from '../adapters/dynamo-quota.ts';
import { DynamoReviews } from '../adapters/dynamo-reviews/store.ts';
import { SfnTaskControl } from '../adapters/sfn-task-control.ts';
import type { Records } from '../ports/core.ts';
import type { EvidenceObjects, ValidatorLog } from '../ports/validation.ts';
import type { LevelDocumentCheckDeps } from '../review/level-documents/check.ts';
import { completeWaitingLetterSteps, type GateDeps } from '../review/level-documents/gate.ts';
import { letterKindFor, levelOfDocument } from '../review/level-documents/records.ts';
import { DynamoListings } from '../adapters/dynamo-listings.ts';
import { DynamoTallies } from '../adapters/dynamo-tallies.ts';
import { SummaryExports } from '../operations/exports/summary.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { SummaryTableStorage } from '../ports/level-documents.ts';
import { attachSummaryTable, type SummaryDeps } from '../review/level-documents/summary.ts';
import { makeSfnClient } from './clients.ts';
import { systemClock } from './clock.ts';
import { campaignCatalog, type TableAccess } from './core.ts';

/** Who the validator generates a filed letter's summary table as (never a person; never checked against a token). */
const GENERATOR: Principal = { sub: 'validator', role: 'operator', jurisdiction: '000000' };

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
  summaries: SummaryTableStorage,
  log: ValidatorLog,
  /** The level told that an application waits over a full quota: the mailer, and the console's base URL. */
  mail: Pick<GateDeps, 'mailer' | 'publicBaseUrl'>,
): LevelDocumentCheckDeps {
  const documents = levelDocuments(table);
  const campaigns = campaignCatalog(table);
  const reviews = new DynamoReviews(table.documents, table.table);
  const gate: GateDeps = {
    reviews,
    records,
    campaigns,
    quotas: new DynamoQuotas(table.documents, table.table),
    tasks: new SfnTaskControl(makeSfnClient()),
    levelDocuments: documents,
    // The gate completes formal-letter steps only: it never asks for an expert panel's result.
    panels: new NoPanels(),
    clock: systemClock,
    newId: randomUUID,
    ...mail,
  };
  const exports = new SummaryExports({
    campaigns,
    listings: new DynamoListings(table.documents, table.table),
    reviews,
    tallies: new DynamoTallies(table.documents, table.table),
    clock: systemClock,
  });
  const summary: SummaryDeps = {
    documents,
    storage: summaries,
    // The table as an operator over the whole country would export it: the level's own scope.
    generate: async (level) => {
      const file = await exports.file(
        {
          campaignId: level.campaignId,
          track: level.track,
          jurisdiction: level.jurisdictionCode,
          file: 'summary.xlsx',
        },
        GENERATOR,
      );
      return { fileName: file.fileName, contentType: file.contentType, body: Buffer.from(file.body) };
    },
    clock: systemClock,
    log,
  };
  return {
    documents,
    storage,
    clock: systemClock,
    log,
    onFiled: async (document) => {
      await attachSummaryTable(summary, document);
      if (document.kind !== letterKindFor(document.track)) return;
      const outcomes = await completeWaitingLetterSteps(gate, levelOfDocument(document));
      if (outcomes.length > 0) log('formal-letter steps settled', { documentId: document.documentId, outcomes });
    },
  };
}
