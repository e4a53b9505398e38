import aslValidator from 'asl-validator';
import { SfnError } from './errors.ts';

/**
 * Turns an ASL definition into what aws-local-stepfunctions runs, with every piece of timing and
 * every Task resource routed through the engine:
 *
 * - Task states: the engine runs each one (the library's `taskResourceLocalHandlers`, keyed by
 *   state name). Their TimeoutSeconds/TimeoutSecondsPath/HeartbeatSeconds(Path) are taken out of
 *   the library's hands (it would give every Task a 60 s default, and resolves TimeoutSecondsPath
 *   against the Parameters output instead of the state input) and handled by the engine's clock.
 *   A path is resolved by the library itself: the state's Parameters are wrapped as
 *   `{ parameters: <original>, "timeoutSeconds.$": <path>, … }` and unwrapped by the engine.
 * - Wait states become Task states run by the engine (the library's waits use real time only, and
 *   its wait overrides are fixed numbers), with `"seconds.$"`/`"timestamp.$"` resolved the same way.
 *   History still reports them as Wait states.
 * - Pass states with a falsy Result (false, 0, "", null) become engine-run Task states too: the
 *   library would pass the input through instead.
 * - Retry: IntervalSeconds (default 1) and MaxDelaySeconds are multiplied by `retryScale`.
 * - ResultPath "$" is dropped (same meaning; the library writes a key named "$" instead).
 * - The top-level TimeoutSeconds is handled by the engine (the library's uses real time).
 */

export type AslObject = Record<string, unknown>;

export type TaskKind = 'lambda' | 'invoke' | 'callback' | 'wait' | 'pass';

export interface StatePlan {
  stateName: string;
  kind: TaskKind;
  /** The Task's Resource as written (for Wait states: ''). */
  resource: string;
  /** Lambda function name or ARN when known statically (from Resource or Parameters.FunctionName). */
  functionName?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** Parameters were wrapped: the handler input is `{ parameters, timeoutSeconds?, heartbeatSeconds? }`. */
  wrapped: boolean;
  /** Wait states: the static duration or timestamp (paths are resolved into the wrapper). */
  waitSeconds?: number;
  waitTimestamp?: string;
  /** Pass states whose Result is false, 0, "" or null (the library ignores a falsy Result). */
  passResult?: unknown;
}

export interface PreparedDefinition {
  /** What aws-local-stepfunctions runs (never validated by it: it is no longer strict ASL). */
  runnable: AslObject;
  /** Engine-run states by name (Task and former Wait states, in branches too). */
  plans: Map<string, StatePlan>;
  /** The original Type of every state by name, for history events. */
  stateTypes: Map<string, string>;
  /** The top-level TimeoutSeconds, if any. */
  executionTimeoutSeconds?: number;
}

/**
 * The library's own Task timer is set to this and intercepted by the engine (see bridge.ts); it
 * is just under setTimeout's limit, so if it ever fired it would fire after ~24.8 days, not at once.
 */
export const LIBRARY_TIMER_SECONDS = 2_147_483;

/** The Resource of the engine-run stand-ins for Wait (and falsy-Result Pass) states. */
export const WAIT_RESOURCE = 'arn:aws:states:::local:wait';

const CALLBACK_RESOURCE = /^arn:[a-z-]+:states:::lambda:invoke\.waitForTaskToken$/;
const INVOKE_RESOURCE = /^arn:[a-z-]+:states:::lambda:invoke$/;
const LAMBDA_ARN = /^arn:[a-z-]+:lambda:[a-z0-9-]*:\d*:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;
const PARTIAL_LAMBDA_ARN = /^(?:\d{12}:)?function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;
const LAMBDA_NAME = /^([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;

/** The function name in a Lambda function name, partial ARN or ARN (qualifier dropped). */
export function lambdaFunctionName(nameOrArn: string): string | undefined {
  for (const pattern of [LAMBDA_ARN, PARTIAL_LAMBDA_ARN, LAMBDA_NAME]) {
    const match = pattern.exec(nameOrArn);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Definitions (as JSON text) asl-validator accepted: it compiles its schemas on every call (~100 ms). */
const validated = new Set<string>();

/** Validates with asl-validator (on a copy: it writes QueryLanguage into every state). */
export function validateDefinition(definition: unknown): void {
  if (!isObject(definition)) throw new SfnError('InvalidDefinition', 'the definition must be a JSON object');
  const text = JSON.stringify(definition);
  if (validated.has(text)) return;
  const { isValid, errorsText } = aslValidator(JSON.parse(text), { checkArn: true, checkPaths: true });
  if (!isValid) throw new SfnError('InvalidDefinition', `invalid state machine definition: ${errorsText('; ')}`);
  if (validated.size >= 100) validated.clear();
  validated.add(text);
}

export function prepareDefinition(definition: AslObject, options: { retryScale: number }): PreparedDefinition {
  const plans = new Map<string, StatePlan>();
  const stateTypes = new Map<string, string>();
  const runnable = structuredClone(definition);
  let executionTimeoutSeconds: number | undefined;
  if (typeof runnable.TimeoutSeconds === 'number') {
    executionTimeoutSeconds = runnable.TimeoutSeconds;
    delete runnable.TimeoutSeconds;
  }
  if (runnable.QueryLanguage !== undefined && runnable.QueryLanguage !== 'JSONPath') {
    throw unsupported(`QueryLanguage ${jsonText(runnable.QueryLanguage)}`);
  }
  prepareStates(runnable, { plans, stateTypes, retryScale: options.retryScale });
  return { runnable, plans, stateTypes, executionTimeoutSeconds };
}

interface Collect {
  plans: Map<string, StatePlan>;
  stateTypes: Map<string, string>;
  retryScale: number;
}

function prepareStates(machine: AslObject, collect: Collect): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const [name, value] of Object.entries(states)) {
    if (!isObject(value)) continue;
    const type = String(value.Type);
    stateTypes(collect, name, type);
    for (const field of ['QueryLanguage', 'Assign', 'Arguments', 'Output', 'Credentials']) {
      if (field === 'QueryLanguage' && (value[field] === undefined || value[field] === 'JSONPath')) continue;
      if (value[field] !== undefined) throw unsupported(`${field} (state "${name}")`);
    }
    if (value.ResultPath === '$') delete value.ResultPath;
    if (Array.isArray(value.Catch)) {
      for (const catcher of value.Catch) if (isObject(catcher) && catcher.ResultPath === '$') delete catcher.ResultPath;
    }
    if (Array.isArray(value.Retry)) {
      for (const retrier of value.Retry) {
        if (!isObject(retrier)) continue;
        retrier.IntervalSeconds =
          (typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1) * collect.retryScale;
        if (typeof retrier.MaxDelaySeconds === 'number') retrier.MaxDelaySeconds *= collect.retryScale;
      }
    }
    if (type === 'Task') states[name] = prepareTask(name, value, collect);
    else if (type === 'Wait') states[name] = prepareWait(name, value, collect);
    else if (type === 'Pass' && 'Result' in value && !value.Result) states[name] = preparePass(name, value, collect);
    else if (type === 'Parallel' && Array.isArray(value.Branches)) {
      for (const branch of value.Branches) if (isObject(branch)) prepareStates(branch, collect);
    } else if (type === 'Map') {
      for (const key of ['ItemProcessor', 'Iterator']) {
        const inner = value[key];
        if (isObject(inner)) prepareStates(inner, collect);
      }
      for (const key of ['ItemReader', 'ResultWriter']) if (value[key] !== undefined) throw unsupported(`Map ${key}`);
    }
  }
}

function stateTypes(collect: Collect, name: string, type: string): void {
  if (collect.stateTypes.has(name)) {
    throw new SfnError('InvalidDefinition', `state name "${name}" is used twice`);
  }
  collect.stateTypes.set(name, type);
}

function prepareTask(name: string, state: AslObject, collect: Collect): AslObject {
  const resource = jsonText(state.Resource ?? '');
  let kind: TaskKind;
  let functionName: string | undefined;
  const parameters = state.Parameters;
  if (CALLBACK_RESOURCE.test(resource) || INVOKE_RESOURCE.test(resource)) {
    kind = CALLBACK_RESOURCE.test(resource) ? 'callback' : 'invoke';
    if (isObject(parameters) && typeof parameters.FunctionName === 'string') functionName = parameters.FunctionName;
    else if (!isObject(parameters) || typeof parameters['FunctionName.$'] !== 'string') {
      throw new SfnError('InvalidDefinition', `Task "${name}": ${resource} needs Parameters.FunctionName`);
    }
  } else if (LAMBDA_ARN.test(resource)) {
    kind = 'lambda';
    functionName = resource;
  } else {
    throw unsupported(
      `Task resource "${resource}" (state "${name}"): locally only Lambda function ARNs, ` +
        'arn:<partition>:states:::lambda:invoke and lambda:invoke.waitForTaskToken run',
    );
  }

  const plan: StatePlan = { stateName: name, kind, resource, functionName, wrapped: false };
  const paths: Record<string, string> = {};
  if (typeof state.TimeoutSeconds === 'number') plan.timeoutSeconds = state.TimeoutSeconds;
  if (typeof state.TimeoutSecondsPath === 'string') paths['timeoutSeconds.$'] = state.TimeoutSecondsPath;
  if (typeof state.HeartbeatSeconds === 'number') plan.heartbeatSeconds = state.HeartbeatSeconds;
  if (typeof state.HeartbeatSecondsPath === 'string') paths['heartbeatSeconds.$'] = state.HeartbeatSecondsPath;
  const runnable: AslObject = { ...state, TimeoutSeconds: LIBRARY_TIMER_SECONDS };
  delete runnable.TimeoutSecondsPath;
  delete runnable.HeartbeatSeconds;
  delete runnable.HeartbeatSecondsPath;
  if (Object.keys(paths).length > 0) {
    plan.wrapped = true;
    runnable.Parameters = {
      ...(parameters === undefined ? { 'parameters.$': '$' } : { parameters }),
      ...paths,
    };
  }
  collect.plans.set(name, plan);
  return runnable;
}

function prepareWait(name: string, state: AslObject, collect: Collect): AslObject {
  const plan: StatePlan = { stateName: name, kind: 'wait', resource: '', wrapped: true };
  const parameters: AslObject = { 'input.$': '$' };
  if (typeof state.Seconds === 'number') plan.waitSeconds = state.Seconds;
  else if (typeof state.Timestamp === 'string') plan.waitTimestamp = state.Timestamp;
  else if (typeof state.SecondsPath === 'string') parameters['seconds.$'] = state.SecondsPath;
  else if (typeof state.TimestampPath === 'string') parameters['timestamp.$'] = state.TimestampPath;
  else
    throw new SfnError('InvalidDefinition', `Wait "${name}" has no Seconds, Timestamp, SecondsPath or TimestampPath`);
  const runnable: AslObject = {
    Type: 'Task',
    Resource: WAIT_RESOURCE,
    Parameters: parameters,
    TimeoutSeconds: LIBRARY_TIMER_SECONDS,
  };
  for (const key of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) {
    if (key in state) runnable[key] = state[key];
  }
  collect.plans.set(name, plan);
  return runnable;
}

function preparePass(name: string, state: AslObject, collect: Collect): AslObject {
  collect.plans.set(name, { stateName: name, kind: 'pass', resource: '', wrapped: false, passResult: state.Result });
  const runnable: AslObject = { Type: 'Task', Resource: WAIT_RESOURCE, TimeoutSeconds: LIBRARY_TIMER_SECONDS };
  for (const key of ['Comment', 'InputPath', 'ResultPath', 'OutputPath', 'Next', 'End']) {
    if (key in state) runnable[key] = state[key];
  }
  return runnable;
}

function unsupported(what: string): SfnError {
  return new SfnError('InvalidDefinition', `not supported by the local Step Functions runtime: ${what}`);
}

/** A definition's value as text: a string as it is, any other JSON value as its JSON. */
export function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
