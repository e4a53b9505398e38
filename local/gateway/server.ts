import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { API_FUNCTIONS, type ApiFunctionName } from '../../shared/platform/functions.ts';
import { ROUTES } from '../../shared/platform/http/routes.ts';
import {
  asLambdaResult,
  invokeWithTimeout,
  type LambdaHandler,
  loadHandlerModule,
  makeLambdaContext,
} from '../lambda.ts';
import { redactUrl } from '../../shared/platform/redact.ts';
import { type Log, makeLog } from '../log.ts';
import { boundPort } from '../ports.ts';
import { authorize, type JwtAuthorizer } from './authorizer.ts';
import { buildEvent, toHttpResponse } from './events.ts';
import { compileRoutes, type GatewayRoute, matchRoutes } from './routing.ts';

/**
 * The local stand-in for API Gateway's HTTP API: the same route table as the CDK stack, and a
 * payload format 2.0 event for the same handler modules. What it adds over AWS, for local use:
 * a 405 (AWS answers 404) when the path exists under another method, and mounts for local pages.
 * With an `authorizer` it also stands in for the JWT authorizer (./authorizer.ts). Routing is
 * ./routing.ts, the events and responses ./events.ts; here: the server, CORS, body limits,
 * timeouts and errors.
 */

/** A plain node handler for pages mounted beside the API (e.g. `/console/`). */
export type ExtraHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface GatewayOptions {
  /** Default: ROUTES from shared/platform/http/routes.ts. */
  routes?: readonly GatewayRoute[];
  /** Returns the handler of a function name. Default: import API_FUNCTIONS[fn].entry once. */
  loadHandler?: (fn: string) => Promise<LambdaHandler>;
  /** Browser origins allowed by CORS ('*' for any). Default: none. */
  corsOrigins?: readonly string[];
  /** Largest request body accepted (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** How long a handler may run (default 29 s, HTTP API's integration limit), then 503. */
  timeoutMs?: number;
  /** Region for the Lambda context's ARN. */
  region?: string;
  /** Guards `token` routes as the HTTP API's JWT authorizer does. Default: none (routes are open). */
  authorizer?: JwtAuthorizer;
  /** Path prefix → node handler, tried before the API routes, e.g. `{ '/console/': consolePage }`. */
  extraHandlers?: Record<string, ExtraHandler>;
  log?: Log;
}

export interface Gateway {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  server: Server;
  /** Mounts a page under a path prefix after start (same as extraHandlers). */
  mount(prefix: string, handler: ExtraHandler): void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 29_000;
const ALLOWED_REQUEST_HEADERS = 'content-type,authorization,x-amz-date,x-api-key,x-amz-security-token';

export async function startGateway(options: GatewayOptions & { port: number; host?: string }): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const extra = { ...options.extraHandlers };
  const server = createServer(createGatewayListener({ ...options, extraHandlers: extra }));
  // Keep-alive sockets would hold close() open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = boundPort(server);
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    mount(prefix, handler) {
      extra[prefix] = handler;
    },
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeIdleConnections();
      }),
  };
}

/** The request listener; exported so it can be tested or mounted without listening. */
export function createGatewayListener(options: GatewayOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = compileRoutes(options.routes ?? ROUTES);
  const loadHandler =
    options.loadHandler ??
    ((fn: string) => {
      const spec = API_FUNCTIONS[fn as ApiFunctionName];
      if (!spec) return Promise.reject(new Error(`no function named ${fn} in API_FUNCTIONS`));
      return loadHandlerModule(spec.entry);
    });
  const corsOrigins = options.corsOrigins ?? [];
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const extraHandlers = options.extraHandlers ?? {};
  const log = options.log ?? makeLog('api');

  const allowedOrigin = (origin: string | undefined): string | undefined => {
    if (!origin) return undefined;
    if (corsOrigins.includes('*')) return '*';
    return corsOrigins.includes(origin) ? origin : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    // The path only, as the HTTP API's access log: queries carry review-link secrets and sign-in codes.
    res.on('finish', () =>
      log.info(`${method} ${rawPath}${rawQueryString ? '?…' : ''} → ${res.statusCode} (${Date.now() - started} ms)`),
    );

    for (const [prefix, extra] of Object.entries(extraHandlers)) {
      if (rawPath === prefix || rawPath.startsWith(prefix) || `${rawPath}/` === prefix) {
        await extra(req, res);
        return;
      }
    }

    const origin = allowedOrigin(req.headers.origin);
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }

    const matches = matchRoutes(routes, rawPath);
    if (matches.length === 0) {
      return sendError(res, 404, 'ROUTE_NOT_FOUND', `No route for ${method} ${rawPath}`);
    }
    const methods = [...new Set(matches.map((m) => m.compiled.route.method.toUpperCase()))];

    if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // CORS preflight, answered by the gateway as HTTP API's CORS configuration does.
      if (origin) {
        res.setHeader('access-control-allow-methods', [...methods, 'OPTIONS'].join(','));
        res.setHeader(
          'access-control-allow-headers',
          req.headers['access-control-request-headers'] ?? ALLOWED_REQUEST_HEADERS,
        );
        res.setHeader('access-control-max-age', '600');
        res.setHeader('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
      }
      res.writeHead(204).end();
      return;
    }

    const match = matches.find((m) => m.compiled.route.method.toUpperCase() === method);
    if (!match) {
      res.setHeader('allow', methods.join(', '));
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${rawPath}`);
    }

    // The JWT authorizer runs before the integration: no body is read for a refused request.
    const claims = await authorize(options.authorizer, match.compiled.route, req);
    if (claims === 'refused') {
      res.setHeader('www-authenticate', `Bearer error="invalid_token"`);
      return sendRaw(res, 401, { message: 'Unauthorized' });
    }

    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      return sendTooLarge(res, req, maxBodyBytes);
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') return sendTooLarge(res, req, maxBodyBytes);

    const pathParameters: Record<string, string> = {};
    try {
      match.compiled.params.forEach((name, i) => {
        pathParameters[name] = decodeURIComponent(match.values[i] ?? '');
      });
    } catch {
      return sendError(res, 400, 'BAD_REQUEST', 'Malformed percent-encoding in the path');
    }

    const event = buildEvent({
      req,
      method,
      rawPath,
      rawQueryString,
      body,
      routeKey: match.compiled.routeKey,
      pathParameters: match.compiled.params.length ? pathParameters : undefined,
      ...(claims && { claims }),
    });
    const fn = match.compiled.route.fn;
    const context = makeLambdaContext({
      functionName: `local-${fn}`,
      region,
      timeoutMs,
      requestId: randomUUID(),
    });

    let result: unknown;
    try {
      const handler = await loadHandler(fn);
      result = asLambdaResult(await invokeWithTimeout(handler, event, context, timeoutMs));
    } catch (error) {
      // Like Lambda: the stack goes to the log, the caller learns nothing about it.
      log.error(`${event.routeKey} (${fn}, request ${context.awsRequestId}) failed:`, error);
      if (error instanceof Error && error.message.startsWith('Task timed out')) {
        return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'The service did not answer in time');
      }
      return sendError(res, 500, 'INTERNAL', 'Internal error');
    }

    const response = toHttpResponse(result);
    if ('malformed' in response) {
      log.error(`${event.routeKey} (${fn}) returned a malformed response: ${response.malformed}`);
      return sendError(res, 500, 'INTERNAL', 'Internal error');
    }
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (response.cookies.length) res.setHeader('set-cookie', response.cookies);
    res.writeHead(response.statusCode);
    res.end(method === 'HEAD' ? undefined : response.body);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // An aborted upload lands here: the query (a review link's secret) stays out of the log.
      log.error(`${req.method} ${redactUrl(req.url)} failed in the gateway:`, error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal error');
      else res.destroy();
    });
  };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendRaw(res, status, { error: { code, message } });
}

function sendRaw(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendTooLarge(res: ServerResponse, req: IncomingMessage, max: number): void {
  // Stop reading the rest of the upload: answer, then close the connection.
  res.setHeader('connection', 'close');
  sendError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${max} bytes`);
  req.resume();
}

/**
 * A request body of at most `max` bytes, or 'too-large' (the rest drains unread). Listeners, not
 * for-await: leaving that loop early destroys the socket before the 413 can be sent.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else resolve('too-large');
    });
    req.on('end', () => resolve(size <= max ? Buffer.concat(chunks) : 'too-large'));
    req.on('error', reject);
  });
}
