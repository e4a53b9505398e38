import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { ReviewWorkflow } from '../ports/intake.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { ExecutionInput, ResubmissionOutput } from '../ladder/payloads.ts';

/**
 * One execution per submitted application and revision: a repeated submit (a client retry, a
 * double click that got past the conditional write's window) maps to the same name, and Step
 * Functions starts nothing twice. Names allow 80 characters of [A-Za-z0-9-_].
 */
export function executionName(applicationId: string, revision: number): string {
  return `${applicationId}-r${revision}`;
}

/** The review ladder on Step Functions (`@aws-sdk/client-sfn`; the local runtime serves the same API). */
export class SfnWorkflow implements ReviewWorkflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(application: ApplicationRecord): Promise<void> {
    const input: ExecutionInput = { applicationId: application.applicationId, revision: application.revision };
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(application.applicationId, application.revision),
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // The execution of this name exists (closed, or started with another input): it was started.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async resubmitted(application: ApplicationRecord): Promise<void> {
    const token = application.resubmissionToken;
    if (!token) throw new Error(`Application ${application.applicationId} has no resubmission token`);
    const output: ResubmissionOutput = {
      applicationId: application.applicationId,
      revision: application.revision,
      resubmittedAt: application.resubmittedAt ?? application.updatedAt,
    };
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    } catch (error) {
      // The wait is over: answered by an earlier call (a retried resubmit), or timed out at the
      // stage deadline, in which case the workflow marks the application OVERDUE.
      if (!(error instanceof TaskTimedOut || error instanceof TaskDoesNotExist)) throw error;
    }
  }
}
