import { EVENT_FUNCTIONS } from '../shared/platform/functions.ts';
import { PACKAGE_REQUEST_PREFIX } from '../shared/package/keys.ts';
import { type EventInvoker, S3EventDelivery, type ValidatedEvent } from './events.ts';
import type { FaultPlan } from './faults.ts';
import { invokeWithTimeout, loadHandlerModule } from './lambda.ts';
import { makeLog } from './log.ts';
import type { S3Local } from './services/s3.ts';
import type { Cleanup } from './stack-services.ts';
import { setProcessEnv } from './stack-env.ts';
import type { LocalStepFunctions } from './stepfunctions/engine.ts';
import type { LocalStateMachine } from './stepfunctions/types.ts';

/**
 * The pipeline's functions wired to the stand-ins as AWS wires them: the state machines on the
 * local Step Functions engine, and the bucket's events to the validator and the package builder.
 * Apart from starting the services: this changes when the pipeline gains a function or a trigger.
 */

/** The package builder's Lambda timeout (infra/constructs/handler-functions.ts). */
const PACKAGE_BUILDER_TIMEOUT_MS = 15 * 60_000;

/**
 * Creates each state machine on the engine (its task handlers wrapped by the fault plan, if any),
 * records its ARN, and hands it to the handlers in the variable the machine names.
 */
export function createStateMachines(
  input: {
    stepFunctions: LocalStepFunctions;
    machines: readonly LocalStateMachine[];
    faults?: FaultPlan;
    /** The handlers' variables: the ARN variables are added to it. */
    env: Record<string, string>;
    /** Filled in: each machine's ARN by name. */
    stateMachineArns: Record<string, string>;
  },
  cleanups: Cleanup[],
): void {
  const { stepFunctions, faults, env, stateMachineArns } = input;
  for (const machine of input.machines) {
    const { stateMachineArn } = stepFunctions.createStateMachine(machine.name, machine.definition, {
      handlers: faults ? faults.wrapTasks(machine.handlers) : machine.handlers,
    });
    stateMachineArns[machine.name] = stateMachineArn;
    if (machine.arnEnv) {
      env[machine.arnEnv] = stateMachineArn;
      cleanups.push(setProcessEnv({ [machine.arnEnv]: stateMachineArn }));
    }
  }
}

/**
 * Delivers the bucket's object-created events to the validator (every evidence object) and to the
 * package builder (request objects under package-requests/), each with its retries and dead letters.
 */
export function startEventDeliveries(
  input: {
    s3: S3Local;
    invokeValidator?: EventInvoker;
    faults?: FaultPlan;
    deadLetterFile: string;
    region: string;
    retryDelaysMs?: readonly number[];
    quiet: boolean;
  },
  cleanups: Cleanup[],
): { delivery: S3EventDelivery; packageDelivery: S3EventDelivery } {
  const { s3, faults, deadLetterFile, region, retryDelaysMs, quiet } = input;
  const delivery = new S3EventDelivery({
    invoke: faults ? faults.wrapValidator(input.invokeValidator) : input.invokeValidator,
    deadLetterFile,
    region,
    retryDelaysMs,
    log: makeLog('validator', quiet),
  });
  const unsubscribe = s3.onObjectCreated((record) => delivery.deliver(record));
  cleanups.push(async () => {
    unsubscribe();
    await delivery.stop();
  });
  // Submission packages: a request object under package-requests/ invokes the builder, as the
  // bucket's notification does in AWS (shared/package/keys.ts, infra/constructs/package-building.ts).
  const packageDelivery = new S3EventDelivery({
    invoke: async (event, context) => {
      const handler = await loadHandlerModule(EVENT_FUNCTIONS.packageBuilder.entry);
      return invokeWithTimeout(handler, event, context, PACKAGE_BUILDER_TIMEOUT_MS);
    },
    filter: (record, key) => record.eventName.startsWith('ObjectCreated:') && key.startsWith(PACKAGE_REQUEST_PREFIX),
    deadLetterFile,
    region,
    retryDelaysMs,
    timeoutMs: PACKAGE_BUILDER_TIMEOUT_MS,
    log: makeLog('packages', quiet),
  });
  const unsubscribePackages = s3.onObjectCreated((record) => packageDelivery.deliver(record));
  cleanups.push(async () => {
    unsubscribePackages();
    await packageDelivery.stop();
  });
  return { delivery, packageDelivery };
}

/** The next 'validated' event for this object key; rejects after timeoutMs. */
export function whenValidated(delivery: S3EventDelivery, key: string, timeoutMs: number): Promise<ValidatedEvent> {
  return new Promise<ValidatedEvent>((resolveEvent, reject) => {
    const timer = setTimeout(() => {
      delivery.off('validated', listener);
      reject(new Error(`no validator run for ${key} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (event: ValidatedEvent) => {
      if (event.key !== key) return;
      clearTimeout(timer);
      delivery.off('validated', listener);
      resolveEvent(event);
    };
    delivery.on('validated', listener);
  });
}
