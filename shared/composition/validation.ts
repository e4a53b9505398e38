import { DynamoRecords } from '../adapters/dynamo-records.ts';
import { S3EvidenceObjects } from '../adapters/s3-evidence-objects.ts';
import { recordEvidenceChecked } from '../platform/metrics.ts';
import type { AuditEvent, EvidenceRecord } from '../schemas/records.ts';
import { makeDocumentClient, makeS3Client } from './clients.ts';
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

/**
 * The validator: the evidence records and the bucket. Wired apart from the other features, whose
 * campaign rules and GB/T 2260 tree this bundle never reads.
 */
export function wireValidator(log: (message: string, detail: Record<string, unknown>) => void, env: Env = readEnv()) {
  return {
    records: new MeteredRecords(makeDocumentClient(), required(env, ENV.tableName)),
    storage: new S3EvidenceObjects(makeS3Client(env), required(env, ENV.bucketName)),
    clock: systemClock,
    log,
  };
}
