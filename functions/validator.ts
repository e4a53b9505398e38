import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { wireValidator } from '../shared/composition/validation.ts';
import { type CheckOutcome, checkUploadedEvidence } from '../shared/validation/evidence-check.ts';
import { METRIC, pipelineMetrics, withMetrics } from '../shared/platform/metrics.ts';

const logger = new Logger({ serviceName: 'evidence-validator' });

const S3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      eventTime: z.string(),
      s3: z.object({
        object: z.object({ key: z.string(), size: z.number().default(0), sequencer: z.string() }),
      }),
    }),
  ),
});

const deps = wireValidator((message, detail) => logger.info(message, detail));

/** S3 writes object keys into events URL-encoded, with '+' for spaces. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * S3 ObjectCreated → validation outcome on the evidence item. Unexpected errors propagate so the
 * asynchronous invocation retries and finally lands in the failure destination; each is counted
 * (EvidenceCheckFailed), and the stored metrics are flushed when the invocation ends.
 */
export const handler = withMetrics(async (event: unknown): Promise<{ outcomes: CheckOutcome[] }> => {
  try {
    return await validate(event);
  } catch (error) {
    pipelineMetrics().addMetric(METRIC.evidenceCheckFailed, MetricUnit.Count, 1);
    throw error;
  }
});

async function validate(event: unknown): Promise<{ outcomes: CheckOutcome[] }> {
  const { Records } = S3EventSchema.parse(event);
  const outcomes: CheckOutcome[] = [];
  for (const record of Records) {
    if (!record.eventName.startsWith('ObjectCreated')) continue;
    outcomes.push(
      await checkUploadedEvidence(deps, {
        key: decodeKey(record.s3.object.key),
        size: record.s3.object.size,
        sequencer: record.s3.object.sequencer,
        eventTime: record.eventTime,
      }),
    );
  }
  return { outcomes };
}
