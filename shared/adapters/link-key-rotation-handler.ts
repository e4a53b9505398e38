import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import {
  type LinkKeyRotation,
  type RotationLog,
  type RotationOutcome,
  RotationEventSchema,
} from './link-key-rotation.ts';

/**
 * The review-link key's rotation function: Secrets Manager invokes it for each step of a
 * rotation (`{ SecretId, ClientRequestToken, Step }`), every 90 days and on
 * `aws secretsmanager rotate-secret`. The steps are in ./link-key-rotation.ts; a step that throws
 * fails the rotation, and Secrets Manager tries it again later. It logs the secret, token, step
 * and outcome, never the key.
 */

/** The function's logger: the rotation's own lines (rotationLog) and the handler's refusals. */
export const rotationLogger = new Logger({ serviceName: 'rotateLinkKey' });

export const rotationLog: RotationLog = {
  info: (message, attributes = {}) => rotationLogger.info(message, attributes),
};

export function makeRotateLinkKeyHandler(
  rotation: Pick<LinkKeyRotation, 'run'>,
  logger: Pick<Logger, 'addContext' | 'error'>,
) {
  return async (event: unknown, context?: Context): Promise<RotationOutcome> => {
    if (context) logger.addContext(context);
    const parsed = RotationEventSchema.safeParse(event);
    if (!parsed.success) {
      // The issues name fields and expected values; the event itself carries no key.
      logger.error('not a Secrets Manager rotation event', {
        issues: parsed.error.issues.map((issue) => issue.path.join('.')),
      });
      throw new Error('rotate-link-key: not a Secrets Manager rotation event ({ SecretId, ClientRequestToken, Step })');
    }
    try {
      return await rotation.run(parsed.data);
    } catch (error) {
      logger.error('link key rotation step failed', {
        secretId: parsed.data.SecretId,
        token: parsed.data.ClientRequestToken,
        step: parsed.data.Step,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      throw error;
    }
  };
}
