import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { json, parseOrThrow } from '../../../shared/http/respond.ts';
import { apiEvent } from '../support.ts';

const event = (routeKey: string, body?: string, extra: Partial<APIGatewayProxyEventV2> = {}) => ({
  ...apiEvent(routeKey, { body }),
  ...extra,
});

const BodySchema = z.strictObject({ name: z.string().min(1), size: z.int().positive() });

const handler = httpHandler({
  'POST /v1/applications': async ({ body }) => json(201, parseOrThrow(BodySchema, body)),
  'GET /v1/campaigns': async () => {
    throw new NotFoundError('No campaign x');
  },
  'GET /v1/campaigns/{campaignId}': async () => {
    throw new ConflictError('DEADLINE_PASSED', '逾期不予受理', [
      { code: 'DEADLINE_PASSED', message: 'late' },
    ]);
  },
  'POST /v1/campaigns': async () => {
    throw new Error('secret connection string in stack');
  },
});

const parse = (body: string) =>
  JSON.parse(body) as { error: { code: string; message: string; details?: { field: string }[] } };

describe('httpHandler', () => {
  it('passes a valid body to the operation', async () => {
    const result = await handler(event('POST /v1/applications', '{"name":"a","size":3}'));
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toEqual({ name: 'a', size: 3 });
  });

  it('answers 400 naming every bad field', async () => {
    const result = await handler(event('POST /v1/applications', '{"name":"","size":-1,"extra":1}'));
    expect(result.statusCode).toBe(400);
    const fields = parse(result.body).error.details?.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'size']));
    expect(parse(result.body).error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const result = await handler(event('POST /v1/applications', '{"name":'));
    expect(result.statusCode).toBe(400);
    expect(parse(result.body).error.details?.[0]?.field).toBe('(body)');
  });

  it('decodes base64 bodies', async () => {
    const body = Buffer.from('{"name":"敦化","size":1}').toString('base64');
    const result = await handler(event('POST /v1/applications', body, { isBase64Encoded: true }));
    expect(JSON.parse(result.body)).toEqual({ name: '敦化', size: 1 });
  });

  it('maps domain errors to their status and code', async () => {
    const missing = await handler(event('GET /v1/campaigns'));
    expect(missing.statusCode).toBe(404);
    expect(parse(missing.body).error.code).toBe('NOT_FOUND');
    const late = await handler(event('GET /v1/campaigns/{campaignId}'));
    expect(late.statusCode).toBe(409);
    expect(parse(late.body).error).toMatchObject({ code: 'DEADLINE_PASSED', message: '逾期不予受理' });
  });

  it('never leaks an unexpected error to the caller', async () => {
    const result = await handler(event('POST /v1/campaigns'));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret');
    expect(parse(result.body).error).toEqual({ code: 'INTERNAL', message: 'Internal error' });
  });

  it('answers 404 for a route the module does not serve', async () => {
    const result = await handler(event('DELETE /v1/nothing'));
    expect(result.statusCode).toBe(404);
    expect(parse(result.body).error.code).toBe('ROUTE_NOT_FOUND');
  });
});
