import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, type ErrorDetail, ValidationError } from '../domain/errors.ts';

export type HttpResult = APIGatewayProxyResultV2 & { statusCode: number; body: string };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function errorBody(code: string, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details?.length ? { details } : {}) } };
}

/** Turns zod issues into error details that name each bad field, prefixed with where it was. */
export function zodDetails(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { field: path || (prefix ?? '(root)'), code: issue.code, message: issue.message };
  });
}

/** Parses with a schema, or throws a ValidationError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = zodDetails(parsed.error, prefix);
    throw new ValidationError(
      `Invalid ${prefix ?? 'request'}: ${details.map((d) => d.field).join(', ')}`,
      details,
    );
  }
  return parsed.data;
}

/** The one error mapper: typed domain errors keep their status; anything else is a safe 500. */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof DomainError) {
    return json(error.status, errorBody(error.code, error.message, error.details));
  }
  return json(500, errorBody('INTERNAL', 'Internal error'));
}
