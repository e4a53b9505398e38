import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  type ExecutionStatus,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { ClosedExecutionView, ExecutionsAdmin } from '../ports/operations.ts';

/** Failures worth an operator's look; ABORTED is how withdrawals and cancellations stop executions. */
const FAILURE_STATUSES = ['FAILED', 'TIMED_OUT'] as const satisfies readonly ExecutionStatus[];

/** The review ladder's executions as operators see them (Step Functions, or the local runtime's API). */
export class SfnExecutions implements ExecutionsAdmin {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** `arn:<partition>:states:<region>:<account>:execution:<machine>:<name>`. */
  executionArn(executionName: string): string {
    return this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${executionName}`;
  }

  /** The most recent failed and timed-out executions (at most `limit` of each), with error and cause. */
  async failures(limit: number): Promise<ClosedExecutionView[]> {
    const listed = await Promise.all(
      FAILURE_STATUSES.map((statusFilter) =>
        this.client.send(
          new ListExecutionsCommand({ stateMachineArn: this.stateMachineArn, statusFilter, maxResults: limit }),
        ),
      ),
    );
    const executions = listed.flatMap((page) => page.executions ?? []);
    return Promise.all(
      executions.map(async (item): Promise<ClosedExecutionView> => {
        const described = await this.client.send(new DescribeExecutionCommand({ executionArn: item.executionArn }));
        return {
          executionName: item.name ?? '',
          executionArn: item.executionArn ?? '',
          status: item.status as ClosedExecutionView['status'],
          startDate: item.startDate ?? new Date(0),
          ...(item.stopDate && { stopDate: item.stopDate }),
          ...(described.error !== undefined && { error: described.error }),
          ...(described.cause !== undefined && { cause: described.cause }),
          redriveCount: described.redriveCount ?? item.redriveCount ?? 0,
          redrivable: (described.redriveStatus ?? 'REDRIVABLE') === 'REDRIVABLE',
        };
      }),
    );
  }

  /** Restarts a failed execution at the state that failed (RedriveExecution). */
  async redrive(executionName: string, clientToken?: string): Promise<{ executionArn: string; redriveDate: Date }> {
    const executionArn = this.executionArn(executionName);
    try {
      const result = await this.client.send(new RedriveExecutionCommand({ executionArn, clientToken }));
      return { executionArn, redriveDate: result.redriveDate ?? new Date() };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) throw new NotFoundError(`No execution ${executionName}`);
      if (error instanceof ExecutionNotRedrivable) {
        throw new ConflictError('NOT_REDRIVABLE', `Execution ${executionName} cannot be redriven: ${error.message}`, [
          {
            field: 'executionName',
            code: 'NOT_REDRIVABLE',
            message: `只能重新驱动失败的执行 / only a failed execution can be redriven (${error.message})`,
          },
        ]);
      }
      throw error;
    }
  }
}
