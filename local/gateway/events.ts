import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { claimStrings } from './authorizer.ts';

/**
 * Payload format 2.0 both ways: the event API Gateway's HTTP API builds for a request, and the
 * HTTP response it makes of a handler's result.
 */

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface EventInput {
  req: IncomingMessage;
  method: string;
  rawPath: string;
  rawQueryString: string;
  body: Buffer;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  /** Claims the authorizer verified. */
  claims?: Record<string, unknown>;
}

/** An HTTP API payload format 2.0 event, as API Gateway builds it. */
export function buildEvent(input: EventInput): APIGatewayProxyEventV2 {
  const { req } = input;
  const now = new Date();
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values) continue;
    // Format 2.0 moves cookies out of the headers into their own array.
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(/;\s*/)).filter(Boolean);
      continue;
    }
    headers[name] = values.join(',');
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  let queryStringParameters: Record<string, string> | undefined;
  if (input.rawQueryString) {
    queryStringParameters = {};
    for (const [key, value] of new URLSearchParams(input.rawQueryString)) {
      // Repeated parameters are joined with commas, as in format 2.0.
      queryStringParameters[key] = key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
    }
  }

  let body: string | undefined;
  let isBase64Encoded = false;
  if (input.body.length > 0) {
    const contentType = headers['content-type'] ?? '';
    const text = contentType ? TEXT_TYPES.test(contentType) : isUtf8(input.body);
    if (text) body = input.body.toString('utf8');
    else {
      body = input.body.toString('base64');
      isBase64Encoded = true;
    }
  }

  const host = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: input.method,
        path: input.rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: input.routeKey,
      ...(input.claims && { authorizer: { jwt: { claims: claimStrings(input.claims), scopes: null } } }),
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  };
}

function isUtf8(buffer: Buffer): boolean {
  try {
    utf8.decode(buffer);
    return true;
  } catch {
    return false;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12/Mar/2020:19:03:58 +0000", the format of requestContext.time. */
function clfTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/**
 * Maps a handler's result to the HTTP response, following format 2.0: an object with a
 * statusCode is a structured response; anything else (a string, another object, null) is a 200
 * application/json whose body is the string itself or the JSON of the value.
 */
export function toHttpResponse(result: unknown): HttpResponse | { malformed: string } {
  const isStructured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!isStructured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body),
    };
  }
  const structured = result as APIGatewayProxyStructuredResultV2;
  const status = structured.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return { malformed: `statusCode ${JSON.stringify(status)} is not an HTTP status` };
  }
  if (structured.body !== undefined && typeof structured.body !== 'string') {
    return { malformed: `body must be a string, got ${typeof structured.body}` };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  const text = structured.body ?? '';
  // HTTP API labels a Lambda response without a content type as JSON.
  if (text && !headers['content-type']) headers['content-type'] = 'application/json';
  return {
    statusCode: status,
    headers,
    cookies: structured.cookies ?? [],
    body: structured.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text),
  };
}
