import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { DomainError, ValidationError } from '../domain/errors.ts';
import { errorBody, errorResponse, type HttpResult, json } from './respond.ts';
import type { RouteKey } from './routes.ts';

export const logger = new Logger({ serviceName: 'cluster-pipeline' });

/** What an operation sees of the request: already decoded, nothing AWS-specific. */
export interface ApiRequest {
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  headers: Record<string, string>;
  requestId: string;
}

export type Operation = (request: ApiRequest) => Promise<HttpResult>;

const MAX_BODY_BYTES = 1024 * 1024;

function decodeBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new ValidationError('Request body is too large', [
      { field: '(body)', code: 'too_big', message: 'the body must be at most 1 MiB' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('Request body is not valid JSON', [
      { field: '(body)', code: 'invalid_json', message: 'the body must be a JSON document' },
    ]);
  }
}

function defined(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Builds an HTTP API (payload 2.0) handler that dispatches on the route key and maps every
 * error in one place. Handlers stay thin: parse, call the domain, answer.
 */
export function httpHandler(operations: Partial<Record<RouteKey, Operation>>) {
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    logger.appendKeys({ requestId, routeKey: event.routeKey });
    try {
      const operation = operations[event.routeKey as RouteKey];
      if (!operation) {
        return json(404, errorBody('ROUTE_NOT_FOUND', `No route ${event.routeKey}`));
      }
      return await operation({
        pathParameters: defined(event.pathParameters),
        query: defined(event.queryStringParameters),
        body: decodeBody(event),
        headers: defined(event.headers),
        requestId,
      });
    } catch (error) {
      if (error instanceof DomainError) {
        logger.info('request refused', { code: error.code, status: error.status });
      } else {
        logger.error('request failed', error as Error);
      }
      return errorResponse(error);
    } finally {
      logger.removeKeys(['requestId', 'routeKey']);
    }
  };
}
