import { type AslObject, lambdaFunctionName, prepareDefinition, validateDefinition } from './definition.ts';
import { libraryMachine } from './bridge.ts';
import { SfnError, TaskError } from './errors.ts';
import type { ExecutionRecord, MachineRecord, Runtime } from './records.ts';
import type { CreateStateMachineOptions, StateMachineDescription, StateMachineListItem, TaskHandler } from './types.ts';

/**
 * State machines: creating one (validated, prepared for the library, every statically named
 * function matched to a handler), describing and listing them, finding a task's handler, and
 * the lookups and rules every API operation shares (ARNs, names, pagination).
 */

/**
 * Registers a state machine. The same name with the same definition again is a no-op that keeps
 * the first handlers (`created: false`), as CreateStateMachine is idempotent; another definition
 * under that name is StateMachineAlreadyExists.
 */
export function createMachine(
  rt: Runtime,
  name: string,
  definition: object,
  options: CreateStateMachineOptions,
): { machine: MachineRecord; created: boolean } {
  assertName(name, 'state machine');
  validateDefinition(definition);
  const definitionText = JSON.stringify(definition);
  const arn = `arn:${rt.partition}:states:${rt.region}:${rt.accountId}:stateMachine:${name}`;
  const existing = rt.machines.get(arn);
  if (existing) {
    if (existing.definitionText === definitionText) return { machine: existing, created: false };
    throw new SfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
  }
  const prepared = prepareDefinition(definition as AslObject, { retryScale: rt.retryScale });
  const machine: MachineRecord = {
    arn,
    name,
    definitionText,
    prepared,
    library: libraryMachine(prepared.runnable),
    handlers: { ...options.handlers },
    roleArn: options.roleArn ?? `arn:${rt.partition}:iam::${rt.accountId}:role/local-${name}`,
    creationDate: new Date(rt.timers.now()),
    executions: new Map(),
    redriveLibraries: new Map(),
  };
  const missing = [...prepared.plans.values()]
    .filter((plan) => plan.functionName !== undefined && !findHandler(rt, machine, plan.functionName))
    .map((plan) => `${plan.stateName} → ${plan.functionName}`);
  if (missing.length > 0) {
    throw new SfnError(
      'InvalidDefinition',
      `state machine ${name}: no handler for ${missing.join(', ')}. Functions named ` +
        `"${rt.prefix}<taskKey>" run handlers[taskKey]; handlers given: ${handlerKeys(machine)}`,
    );
  }
  rt.machines.set(arn, machine);
  rt.log.info(`state machine ${name}: ${arn}`);
  return { machine, created: true };
}

export function describeMachine(machine: MachineRecord): StateMachineDescription {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    status: 'ACTIVE',
    definition: machine.definitionText,
    roleArn: machine.roleArn,
    type: 'STANDARD',
    creationDate: machine.creationDate,
  };
}

export function listMachines(
  rt: Runtime,
  input: { maxResults?: number; nextToken?: string },
): { stateMachines: StateMachineListItem[]; nextToken?: string } {
  const all = [...rt.machines.values()].map((m) => ({
    stateMachineArn: m.arn,
    name: m.name,
    type: 'STANDARD' as const,
    creationDate: m.creationDate,
  }));
  const { items, nextToken } = paginate(all, input.maxResults, input.nextToken);
  return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
}

/** The handler of a task's function, or the Lambda error AWS gives for a function that does not exist. */
export function handlerFor(rt: Runtime, machine: MachineRecord, functionNameOrArn: string): TaskHandler {
  const handler = findHandler(rt, machine, functionNameOrArn);
  if (handler) return handler;
  throw new TaskError(
    'Lambda.ResourceNotFoundException',
    `Function not found: ${functionNameOrArn}. Locally, function "${rt.prefix}<taskKey>" runs ` +
      `handlers[taskKey] of state machine ${machine.name}; handlers: ${handlerKeys(machine)}`,
  );
}

function findHandler(rt: Runtime, machine: MachineRecord, functionNameOrArn: string): TaskHandler | undefined {
  const name = lambdaFunctionName(functionNameOrArn);
  if (name === undefined) return undefined;
  const key = name.startsWith(rt.prefix) ? name.slice(rt.prefix.length) : undefined;
  const byKey = key !== undefined && Object.hasOwn(machine.handlers, key) ? machine.handlers[key] : undefined;
  return byKey ?? (Object.hasOwn(machine.handlers, name) ? machine.handlers[name] : undefined);
}

function handlerKeys(machine: MachineRecord): string {
  const keys = Object.keys(machine.handlers);
  return keys.length > 0 ? keys.join(', ') : '(none)';
}

export function machineOf(rt: Runtime, arn: string): MachineRecord {
  if (typeof arn !== 'string' || !/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn)) {
    throw new SfnError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  }
  const machine = rt.machines.get(arn);
  if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return machine;
}

export function executionOf(rt: Runtime, arn: string): ExecutionRecord {
  if (typeof arn !== 'string' || !/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) {
    throw new SfnError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  }
  const exec = rt.executions.get(arn);
  if (!exec) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return exec;
}

export function paginate<T>(all: T[], maxResults?: number, nextToken?: string): { items: T[]; nextToken?: string } {
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  let start = 0;
  if (nextToken !== undefined) {
    start = Number.parseInt(Buffer.from(nextToken, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw new SfnError('ValidationException', 'Invalid nextToken');
  }
  const items = all.slice(start, start + size);
  const next = start + size < all.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items, ...(next ? { nextToken: next } : {}) };
}

/** AWS's rule for state machine and execution names. */
export function assertName(name: unknown, what: string): asserts name is string {
  const bad =
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 80 ||
    [...name].some((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(ch);
    });
  if (bad) throw new SfnError('InvalidName', `Invalid Name: '${String(name)}' is not a valid ${what} name`);
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
