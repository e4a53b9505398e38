import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type DecisionOutput, DecisionOutputSchema } from '../ladder/contract.ts';
import { type TaskControl, TaskGoneError } from '../ports/review.ts';

const TASK_GONE_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

/** Step Functions through @aws-sdk/client-sfn (in `npm start`: AWS_ENDPOINT_URL_SFN → the local runtime). */
export class SfnTaskControl implements TaskControl {
  constructor(private readonly client: SFNClient) {}

  async succeed(taskToken: string, output: DecisionOutput): Promise<void> {
    await this.gone(
      this.client.send(
        new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(DecisionOutputSchema.parse(output)) }),
      ),
    );
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.gone(this.client.send(new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_768) })));
  }

  async waiting(taskToken: string): Promise<boolean | undefined> {
    try {
      await this.client.send(new SendTaskHeartbeatCommand({ taskToken }));
      return true;
    } catch (error) {
      if (error instanceof Error && TASK_GONE_ERRORS.has(error.name)) return false;
      // Not granted states:SendTaskHeartbeat: cannot tell, so the task is taken to wait (as before).
      if (error instanceof Error && error.name === 'AccessDeniedException') return undefined;
      throw error;
    }
  }

  async stop(executionArn: string, error: string, cause: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn, error, cause: cause.slice(0, 32_768) }));
    } catch (failure) {
      // Already over: nothing to stop.
      if (failure instanceof Error && failure.name === 'ExecutionDoesNotExist') return;
      throw failure;
    }
  }

  private async gone(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (error instanceof Error && TASK_GONE_ERRORS.has(error.name)) throw new TaskGoneError(error.name);
      throw error;
    }
  }
}
