import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { METRIC, pipelineMetrics, withMetrics } from '../platform/metrics.ts';
import { ANNUAL_REPORT_PREFIX, LEVEL_DOCUMENT_PREFIX } from '../rules/storage.ts';
import { type AnnualReportCheckDeps, checkUploadedAnnualReport } from '../annual-report/check.ts';
import { checkUploadedLevelDocument, type LevelDocumentCheckDeps } from '../review/level-documents/check.ts';
import { checkUploadedEvidence, type EvidenceCheckDeps } from './evidence-check.ts';
import type { CheckOutcome } from './upload-check.ts';

/**
 * The validator's face: S3 ObjectCreated notifications in, one evidence check per object. The
 * records and the bucket come from shared/composition/validation.ts (wireValidator), or a test.
 */

const logger = new Logger({ serviceName: 'evidence-validator' });

/** The check's log lines through the function's Powertools logger (wireValidator takes it). */
export const validatorLog: EvidenceCheckDeps['log'] = (message, detail) => logger.info(message, detail);

const S3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      eventTime: z.string(),
      s3: z.object({
        object: z.object({
          key: z.string(),
          size: z.number().default(0),
          sequencer: z.string(),
          // Present when the bucket keeps versions (AWS): the validator reads and pins that version.
          versionId: z.string().min(1).optional(),
          eTag: z.string().min(1).optional(),
        }),
      }),
    }),
  ),
});

/** S3 writes object keys into events URL-encoded, with '+' for spaces. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/** The validator's deps: the evidence checks', and the level documents' (their own prefix). */
export type ValidatorDeps = EvidenceCheckDeps & {
  levelDocuments?: LevelDocumentCheckDeps;
  annualReports?: AnnualReportCheckDeps;
};

/**
 * S3 ObjectCreated → validation outcome on the evidence item (or, under LEVEL_DOCUMENT_PREFIX, on
 * the level document: shared/review/level-documents/check.ts). Unexpected errors propagate so the
 * asynchronous invocation retries and finally lands in the failure destination; each is counted
 * (EvidenceCheckFailed), and the stored metrics are flushed when the invocation ends. `check` is
 * the domain's checkUploadedEvidence unless a test passes its own.
 */
export function makeValidatorHandler(deps: ValidatorDeps, check: typeof checkUploadedEvidence = checkUploadedEvidence) {
  async function validate(event: unknown): Promise<{ outcomes: CheckOutcome[] }> {
    const { Records } = S3EventSchema.parse(event);
    const outcomes: CheckOutcome[] = [];
    for (const record of Records) {
      if (!record.eventName.startsWith('ObjectCreated')) continue;
      const created = {
        key: decodeKey(record.s3.object.key),
        size: record.s3.object.size,
        sequencer: record.s3.object.sequencer,
        eventTime: record.eventTime,
        versionId: record.s3.object.versionId,
        eTag: record.s3.object.eTag,
      };
      if (created.key.startsWith(LEVEL_DOCUMENT_PREFIX)) {
        if (!deps.levelDocuments) throw new Error('The validator was wired without level documents');
        outcomes.push(await checkUploadedLevelDocument(deps.levelDocuments, created));
        continue;
      }
      if (created.key.startsWith(ANNUAL_REPORT_PREFIX)) {
        if (!deps.annualReports) throw new Error('The validator was wired without annual reports');
        outcomes.push(await checkUploadedAnnualReport(deps.annualReports, created));
        continue;
      }
      outcomes.push(await check(deps, created));
    }
    return { outcomes };
  }

  return withMetrics(async (event: unknown): Promise<{ outcomes: CheckOutcome[] }> => {
    try {
      return await validate(event);
    } catch (error) {
      pipelineMetrics().addMetric(METRIC.evidenceCheckFailed, MetricUnit.Count, 1);
      throw error;
    }
  });
}
