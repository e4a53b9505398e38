import { SfnError } from './errors.ts';
import { run } from './executions.ts';
import { journal, record } from './history.ts';
import { assertOpen, type ExecutionRecord, type Runtime } from './records.ts';
import { notRedrivable, redrivability } from './resume-point.ts';
import type { RedriveExecutionInput } from './types.ts';

/**
 * RedriveExecution: restarts a FAILED, TIMED_OUT or ABORTED execution at the top-level state
 * where it stopped (resume-point.ts says where, and whether it may), under the same ARN, its
 * history continued after ExecutionRedriven; with AWS's clientToken idempotency.
 */

/** AWS keeps a clientToken's answer for 15 minutes, for the execution's last 10 tokens. */
const CLIENT_TOKEN_TTL_MS = 15 * 60_000;
const CLIENT_TOKENS_KEPT = 10;
const CLIENT_TOKEN = /^[!-~]{1,64}$/;

export async function redriveExecution(
  rt: Runtime,
  exec: ExecutionRecord,
  input: RedriveExecutionInput,
): Promise<{ redriveDate: Date }> {
  const { clientToken } = input;
  if (clientToken !== undefined && (typeof clientToken !== 'string' || !CLIENT_TOKEN.test(clientToken))) {
    throw new SfnError('ValidationException', "'clientToken' must be 1 to 64 printable ASCII characters");
  }
  if (clientToken !== undefined) {
    const earlier = exec.redriveTokens.get(clientToken);
    if (earlier && rt.timers.now() - earlier.getTime() < CLIENT_TOKEN_TTL_MS) return { redriveDate: earlier };
    if (exec.redriving && exec.redriving.clientToken === clientToken) return exec.redriving.result;
  }
  if (exec.redriving) throw notRedrivable(exec, 'Execution is RUNNING and cannot be redriven');
  const result = redrive(rt, exec, clientToken);
  exec.redriving = { clientToken, result };
  try {
    return await result;
  } finally {
    exec.redriving = undefined;
  }
}

async function redrive(
  rt: Runtime,
  exec: ExecutionRecord,
  clientToken: string | undefined,
): Promise<{ redriveDate: Date }> {
  // The last run's history (and so where it stopped) may still be landing after a stop or timeout.
  if (exec.status !== 'RUNNING') await exec.consumed;
  assertOpen(rt);
  const verdict = redrivability(rt, exec);
  if (!('from' in verdict)) throw notRedrivable(exec, verdict.reason);
  const redriveDate = new Date(rt.timers.now());
  exec.redriveCount += 1;
  exec.redriveDate = redriveDate;
  exec.status = 'RUNNING';
  exec.stopDate = undefined;
  exec.output = undefined;
  exec.error = undefined;
  exec.cause = undefined;
  exec.ending = false;
  record(rt, exec, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: exec.redriveCount } });
  run(rt, exec, JSON.parse(exec.input), verdict.from);
  if (clientToken !== undefined) rememberClientToken(rt, exec, clientToken, redriveDate);
  rt.log.info(`redriven ${exec.machine.name}/${exec.name} at ${verdict.from.stateName} (redrive ${exec.redriveCount})`);
  return { redriveDate };
}

function rememberClientToken(rt: Runtime, exec: ExecutionRecord, clientToken: string, redriveDate: Date): void {
  exec.redriveTokens.set(clientToken, redriveDate);
  journal(rt, exec, { t: 'redriveToken', clientToken, date: redriveDate.toISOString() });
  for (const oldest of exec.redriveTokens.keys()) {
    if (exec.redriveTokens.size <= CLIENT_TOKENS_KEPT) break;
    exec.redriveTokens.delete(oldest);
  }
}
