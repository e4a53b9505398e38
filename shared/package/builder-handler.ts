/**
 * The package builder's face: S3 ObjectCreated notifications for request objects under
 * package-requests/ (./keys.ts) in, one build or verification each. A redelivered event does no
 * harm: a build is claimed once (./builder.ts), a verification answers one request id
 * (./verify.ts). Unexpected errors propagate so the asynchronous invocation retries.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { type BuilderDeps, buildPackage } from './builder.ts';
import { parseRequestKey } from './keys.ts';
import { verifyPackage } from './verify.ts';

const logger = new Logger({ serviceName: 'package-builder' });
export const builderLog: NonNullable<BuilderDeps['log']> = (message, detail) => logger.info(message, detail);

const S3EventSchema = z.object({
  Records: z.array(z.object({ eventName: z.string(), s3: z.object({ object: z.object({ key: z.string() }) }) })),
});

/** S3 writes object keys into events URL-encoded, with '+' for spaces. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

export function makePackageBuilderHandler(deps: BuilderDeps) {
  return async (event: unknown): Promise<{ outcomes: string[] }> => {
    const { Records } = S3EventSchema.parse(event);
    const outcomes: string[] = [];
    for (const record of Records) {
      if (!record.eventName.startsWith('ObjectCreated')) continue;
      const key = decodeKey(record.s3.object.key);
      const request = parseRequestKey(key);
      if (!request) {
        logger.warn('not a package request', { key });
        outcomes.push('ignored');
        continue;
      }
      outcomes.push(
        request.action === 'build'
          ? await buildPackage(deps, request.campaignId, request.packageId)
          : await verifyPackage(deps, request.campaignId, request.packageId, request.requestId ?? ''),
      );
    }
    return { outcomes };
  };
}
