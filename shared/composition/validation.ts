import { DynamoAnnualReports } from '../adapters/dynamo-annual-reports.ts';
import { DynamoRecords } from '../adapters/dynamo-records/store.ts';
import { S3EvidenceObjects } from '../adapters/s3-evidence-objects.ts';
import { S3LevelSummaries } from '../adapters/s3-level-summaries.ts';
import { recordEvidenceChecked } from '../platform/metrics.ts';
import type { AuditEvent, EvidenceRecord } from '../schemas/records.ts';
import type { InspectionHow } from '../validation/inspect.ts';
import { makeDocumentClient, makeS3Client } from './clients.ts';
import { validatorLevelDocuments } from './level-documents.ts';
import { mailer } from './mail.ts';
import { systemClock } from './clock.ts';
import { ENV, type Env, readEnv, required } from './env.ts';

/** Counts each outcome once it is recorded: a replayed event records nothing and counts nothing. */
class MeteredRecords extends DynamoRecords {
  override async recordValidation(evidence: EvidenceRecord, audit: AuditEvent): Promise<boolean> {
    const changed = await super.recordValidation(evidence, audit);
    if (changed && (evidence.status === 'VALID' || evidence.status === 'INVALID')) {
      recordEvidenceChecked(
        evidence.status,
        evidence.findings.map((finding) => finding.code),
      );
    }
    return changed;
  }
}

/** Lambda backs 1,769 MB with one vCPU's worth of time (AWS Lambda's memory and computing power). */
const LAMBDA_MB_PER_VCPU = 1769;

/**
 * How the inspection may use the machine. A Lambda function sees two cores whatever its memory,
 * but gets CPU time in proportion to that memory: under two vCPUs' worth, a hashing thread beside
 * the walk only competes with it (and costs a copy of every byte), so SHA-256 stays in the walk.
 * Elsewhere (`npm start`, scripts) the cores seen are the cores had: `fileDigest` decides.
 */
export function inspectionHow(env: Env): InspectionHow {
  const memoryMb = Number(env[ENV.lambdaMemorySize]);
  return memoryMb > 0 && memoryMb < 2 * LAMBDA_MB_PER_VCPU ? { hashBeside: false } : {};
}

/**
 * The validator: the evidence records and the bucket; and the levels' own documents, whose
 * formal-letter gate and summary table bring the review desk's decision path and the exports'
 * table (campaign rules, the GB/T 2260 tree, the workbook writer) into this bundle.
 */
export function wireValidator(log: (message: string, detail: Record<string, unknown>) => void, env: Env = readEnv()) {
  const table = { documents: makeDocumentClient(), table: required(env, ENV.tableName) };
  const records = new MeteredRecords(table.documents, table.table);
  const s3 = makeS3Client(env);
  const bucket = required(env, ENV.bucketName);
  const storage = new S3EvidenceObjects(s3, bucket);
  const inspection = inspectionHow(env);
  return {
    records,
    storage,
    clock: systemClock,
    log,
    inspection,
    // The levels' own documents, under their own prefix: their check and the formal-letter gate.
    levelDocuments: {
      ...validatorLevelDocuments(table, records, storage, new S3LevelSummaries(s3, bucket), log, {
        // The formal-letter gate emails the level when a full quota keeps the letter from completing a step.
        mailer: mailer(env),
        publicBaseUrl: required(env, ENV.publicBaseUrl),
      }),
      inspection,
    },
    // The clusters' annual-report uploads, under their own prefix.
    annualReports: {
      store: new DynamoAnnualReports(table.documents, table.table),
      storage,
      clock: systemClock,
      log,
      inspection,
    },
  };
}
