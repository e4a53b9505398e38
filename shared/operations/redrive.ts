import { personActor } from '../intake/audit.ts';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { RedriveResult } from '../schemas/ops.ts';
import type { AuditEvent } from '../schemas/records.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Clock, Records } from '../ports/core.ts';
import type { ExecutionsAdmin, OpsReads } from '../ports/operations.ts';

/** Restarting a failed ladder execution, and which application an execution belongs to. */

export interface RedriveDeps {
  reads: Pick<OpsReads, 'applications'>;
  executions: Pick<ExecutionsAdmin, 'redrive'>;
  records: Pick<Records, 'appendAudit'>;
  clock: Clock;
  newId: () => string;
}

/** `<applicationId>-r<revision>`: see executionName in shared/adapters/sfn-workflow.ts. */
const EXECUTION_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-r\d+$/;
export const applicationOfExecution = (name: string) => EXECUTION_NAME.exec(name)?.[1];

/**
 * Restarts a failed execution at its failed step, and notes it in the application's audit trail.
 * @throws ValidationError for a name that is no ladder execution; NotFoundError when its
 *   application does not exist; ForbiddenError unless the principal operates over it
 */
export async function redrive(
  deps: RedriveDeps,
  executionName: string,
  principal: Principal,
  requestId: string,
): Promise<RedriveResult> {
  const applicationId = applicationOfExecution(executionName);
  if (!applicationId) {
    throw new ValidationError(`${executionName} is not a review ladder execution`, [
      { field: 'path.executionName', code: 'NOT_A_LADDER_EXECUTION', message: 'expected <applicationId>-r<revision>' },
    ]);
  }
  const [application] = await deps.reads.applications([applicationId]);
  if (!application) throw new NotFoundError(`No application ${applicationId} behind execution ${executionName}`);
  assertAllowed(may.operate(principal, application), 'operate', principal);

  const { executionArn, redriveDate } = await deps.executions.redrive(executionName, requestId.slice(0, 64));
  const event: AuditEvent = {
    applicationId,
    eventId: deps.newId(),
    at: deps.clock().toISOString(),
    action: 'EXECUTION_REDRIVEN',
    ...personActor(principal),
    requestId,
    detail: { executionName },
  };
  await deps.records.appendAudit(event);
  return { executionName, executionArn, redriveDate: redriveDate.toISOString() };
}
