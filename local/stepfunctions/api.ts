import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Log, silentLog } from '../log.ts';
import { boundPort } from '../ports.ts';
import { isObject } from './definition.ts';
import type { LocalStepFunctions } from './engine.ts';
import { SfnError } from './errors.ts';

/**
 * The Step Functions API on loopback, in AWS's JSON 1.0 protocol: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body; errors are 400 with
 * `{"__type": "<ErrorName>", "message": "…"}`; timestamps are epoch seconds. So
 * `new SFNClient({ endpoint })` (or AWS_ENDPOINT_URL_SFN) works unchanged. Request signatures
 * are not checked.
 */

export interface StepFunctionsApi {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface StepFunctionsApiOptions {
  /** 0 or omitted = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  log?: Log;
}

const MAX_BODY_BYTES = 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';

type Operation = (engine: LocalStepFunctions, body: Record<string, unknown>) => unknown;

const OPERATIONS: Record<string, Operation> = {
  StartExecution: (engine, body) =>
    engine.startExecution({
      stateMachineArn: required(body, 'stateMachineArn'),
      name: optional(body, 'name'),
      input: optional(body, 'input'),
    }),
  DescribeExecution: (engine, body) => engine.describeExecution({ executionArn: required(body, 'executionArn') }),
  ListExecutions: (engine, body) =>
    engine.listExecutions({
      stateMachineArn: required(body, 'stateMachineArn'),
      statusFilter: optional(body, 'statusFilter') as never,
      redriveFilter: optional(body, 'redriveFilter') as never,
      maxResults: optionalNumber(body, 'maxResults'),
      nextToken: optional(body, 'nextToken'),
    }),
  GetExecutionHistory: (engine, body) =>
    engine.getExecutionHistory({
      executionArn: required(body, 'executionArn'),
      maxResults: optionalNumber(body, 'maxResults'),
      reverseOrder: body.reverseOrder === true,
      nextToken: optional(body, 'nextToken'),
      includeExecutionData: body.includeExecutionData !== false,
    }),
  RedriveExecution: (engine, body) =>
    engine.redriveExecution({
      executionArn: required(body, 'executionArn'),
      clientToken: optional(body, 'clientToken'),
    }),
  StopExecution: (engine, body) =>
    engine.stopExecution({
      executionArn: required(body, 'executionArn'),
      error: optional(body, 'error'),
      cause: optional(body, 'cause'),
    }),
  SendTaskSuccess: (engine, body) => engine.sendTaskSuccess(required(body, 'taskToken'), required(body, 'output')),
  SendTaskFailure: (engine, body) =>
    engine.sendTaskFailure(required(body, 'taskToken'), optional(body, 'error'), optional(body, 'cause')),
  SendTaskHeartbeat: (engine, body) => engine.sendTaskHeartbeat(required(body, 'taskToken')),
  DescribeStateMachine: (engine, body) =>
    engine.describeStateMachine({ stateMachineArn: required(body, 'stateMachineArn') }),
  ListStateMachines: (engine, body) =>
    engine.listStateMachines({
      maxResults: optionalNumber(body, 'maxResults'),
      nextToken: optional(body, 'nextToken'),
    }),
};

/** The operations served, for messages and tests. */
export const SUPPORTED_OPERATIONS = Object.keys(OPERATIONS);

export async function startStepFunctionsApi(
  engine: LocalStepFunctions,
  options: StepFunctionsApiOptions = {},
): Promise<StepFunctionsApi> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(createStepFunctionsListener(engine, options.log ?? silentLog));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = boundPort(server);
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/** The request listener (exported so it can be mounted or tested without listening). */
export function createStepFunctionsListener(
  engine: LocalStepFunctions,
  log: Log = silentLog,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(engine, req, res, log).catch((error: unknown) => {
      log.error('request failed:', error);
      if (!res.headersSent) send(res, 500, { __type: 'InternalFailure', message: 'internal error' });
      else res.destroy();
    });
  };
}

async function handle(engine: LocalStepFunctions, req: IncomingMessage, res: ServerResponse, log: Log): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, 405, { __type: 'UnknownOperationException', message: `${req.method} is not supported: POST /` });
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const operationName = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = OPERATIONS[operationName];
  const raw = await readBody(req);
  if (raw === undefined) return send(res, 413, { __type: 'ValidationException', message: 'request body too large' });
  if (!operation) {
    return send(res, 400, {
      __type: 'UnknownOperationException',
      message: `unknown operation "${target}"; served locally: ${SUPPORTED_OPERATIONS.join(', ')}`,
    });
  }
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw);
  } catch {
    return send(res, 400, { __type: 'SerializationException', message: 'the request body is not JSON' });
  }
  if (!isObject(body))
    return send(res, 400, { __type: 'SerializationException', message: 'the request body must be an object' });
  try {
    const result = await operation(engine, body);
    log.info(`${operationName} → 200`);
    send(res, 200, result);
  } catch (error) {
    if (error instanceof SfnError) {
      log.info(`${operationName} → ${error.type}`);
      return send(res, 400, { __type: error.type, message: error.message });
    }
    throw error;
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(toWire(body));
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.0');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.setHeader('x-amzn-requestid', randomUUID());
  if (status >= 400 && isObject(body) && typeof body.__type === 'string')
    res.setHeader('x-amzn-errortype', body.__type);
  res.end(text);
}

/** Dates → epoch seconds (with milliseconds), as the JSON protocols carry timestamps. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}

function required(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new SfnError('ValidationException', `1 validation error detected: '${field}' must be a non-empty string`);
  }
  return value;
}

function optional(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SfnError('ValidationException', `'${field}' must be a string`);
  return value;
}

function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw new SfnError('ValidationException', `'${field}' must be an integer from 0 to 1000`);
  }
  return value;
}
