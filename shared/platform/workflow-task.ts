import { Logger } from '@aws-lambda-powertools/logger';
import type * as z from 'zod';
import { WORKFLOW_TASK_ERRORS } from '../ladder/tasks.ts';

export const workflowLogger = new Logger({ serviceName: 'cluster-pipeline-workflow' });

/** The task's input did not match its schema: a definition or caller bug, never retried. */
export class InvalidPayloadError extends Error {
  override readonly name = WORKFLOW_TASK_ERRORS.invalidPayload;
}

/**
 * A state-machine task handler: parses the payload with its zod schema, runs the domain step and
 * returns its result as the task's output. An error's `name` is what the state machine sees
 * (Retry and Catch match on it). Payloads are not logged: callback payloads carry task tokens.
 */
export function workflowTask<S extends z.ZodType, R>(
  task: string,
  schema: S,
  run: (payload: z.infer<S>) => Promise<R>,
): (event: unknown) => Promise<R> {
  return async (event) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      workflowLogger.error('invalid task payload', { task, fields });
      throw new InvalidPayloadError(`${task}: invalid payload (${fields.join('; ')})`);
    }
    try {
      return await run(parsed.data);
    } catch (error) {
      workflowLogger.error('task failed', { task, error: error as Error });
      throw error;
    }
  };
}
