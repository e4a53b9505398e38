import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConflictError, NotFoundError } from '../../../../shared/platform/errors.ts';
import type { Principal } from '../../../../shared/platform/auth/principal.ts';
import { SESSION_COOKIE } from '../../../../shared/platform/auth/verify.ts';
import { type ApiRequest, httpHandler } from '../../../../shared/platform/http/handler.ts';
import { json } from '../../../../shared/platform/http/respond.ts';
import { parseOrThrow } from '../../../../shared/platform/parse.ts';
import { startTestIssuer, type TestIssuer } from '../../sign-in.ts';
import { apiEvent, claimsOf, PEOPLE } from '../../support.ts';

const event = (routeKey: string, body?: string, extra: Partial<APIGatewayProxyEventV2> = {}) => ({
  ...apiEvent(routeKey, { body, as: PEOPLE.nationalOperator }),
  ...extra,
});

const BodySchema = z.strictObject({ name: z.string().min(1), size: z.int().positive() });

const handler = httpHandler({
  'POST /v1/applications': async ({ body }) => json(201, parseOrThrow(BodySchema, body)),
  'GET /v1/campaigns': async () => {
    throw new NotFoundError('No campaign x');
  },
  'GET /v1/campaigns/{campaignId}': async () => {
    throw new ConflictError('DEADLINE_PASSED', '逾期不予受理', [{ code: 'DEADLINE_PASSED', message: 'late' }]);
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

describe('httpHandler: who is signed in', () => {
  let issuer: TestIssuer;
  const seen: (Principal | undefined)[] = [];
  const record = async (request: ApiRequest) => {
    seen.push(request.principal);
    return json(200, { ok: true });
  };
  const guarded = httpHandler({
    'GET /v1/campaigns': record,
    'POST /v1/reviews/{reviewId}/decision': record,
    'GET /console/{page}': record,
    'POST /console/executions/{executionName}/redrive': record,
    'GET /console/sign-in': record,
    'DELETE /portal/applications/{applicationId}/evidence/{evidenceId}': record,
  });
  const bare = (routeKey: string, extra: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 => ({
    ...apiEvent(routeKey),
    rawPath: '/console/board',
    rawQueryString: 'campaignId=c1',
    ...extra,
  });
  const withMethod = (e: APIGatewayProxyEventV2, method: string): APIGatewayProxyEventV2 => ({
    ...e,
    requestContext: { ...e.requestContext, http: { ...e.requestContext.http, method } },
  });

  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(() => issuer?.close());

  it('takes the principal of a token route from the JWT authorizer’s claims', async () => {
    seen.length = 0;
    const result = await guarded(apiEvent('GET /v1/campaigns', { as: PEOPLE.jilinReviewer }));
    expect(result.statusCode).toBe(200);
    expect(seen).toEqual([{ sub: PEOPLE.jilinReviewer.sub, role: 'reviewer', jurisdiction: '220000' }]);
  });

  it('answers 401 on a token route without claims, or with claims naming no valid role, and never runs the operation', async () => {
    seen.length = 0;
    const withoutClaims = await guarded(apiEvent('GET /v1/campaigns'));
    expect(withoutClaims.statusCode).toBe(401);
    expect(parse(withoutClaims.body).error.code).toBe('UNAUTHENTICATED');
    const superuser = apiEvent('GET /v1/campaigns');
    (superuser.requestContext as unknown as Record<string, unknown>).authorizer = {
      jwt: { claims: { ...claimsOf(PEOPLE.nationalOperator), 'custom:role': 'admin' } },
    };
    expect((await guarded(superuser)).statusCode).toBe(401);
    expect(seen).toEqual([]);
  });

  it('lets a review link through without a token, and verifies a Bearer token when one comes', async () => {
    seen.length = 0;
    expect((await guarded(bare('POST /v1/reviews/{reviewId}/decision'))).statusCode).toBe(200);
    const token = await issuer.token(PEOPLE.yanbianReviewer);
    const signed = bare('POST /v1/reviews/{reviewId}/decision', { headers: { authorization: `Bearer ${token}` } });
    expect((await guarded(signed)).statusCode).toBe(200);
    expect(seen).toEqual([
      undefined,
      expect.objectContaining({ sub: PEOPLE.yanbianReviewer.sub, jurisdiction: '222400' }),
    ]);
    const forged = bare('POST /v1/reviews/{reviewId}/decision', {
      headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    });
    const refused = await guarded(forged);
    expect(refused.statusCode).toBe(401);
    expect(seen).toHaveLength(2);
  });

  it('sends a console page without a valid session to sign-in, coming back where it was going', async () => {
    seen.length = 0;
    for (const cookies of [undefined, [`${SESSION_COOKIE}=not-a-token`], ['other=1']]) {
      const result = await guarded(bare('GET /console/{page}', cookies ? { cookies } : {}));
      expect(result.statusCode).toBe(303);
      expect((result as { headers?: Record<string, unknown> }).headers?.location).toBe(
        `/console/sign-in?next=${encodeURIComponent('/console/board?campaignId=c1')}`,
      );
    }
    const token = await issuer.token(PEOPLE.jilinOperator);
    const result = await guarded(bare('GET /console/{page}', { cookies: ['lang=zh', `${SESSION_COOKIE}=${token}`] }));
    expect(result.statusCode).toBe(200);
    expect(seen).toEqual([expect.objectContaining({ role: 'operator', jurisdiction: '220000' })]);
  });

  it('refuses a console POST from another site, and takes one from the console itself', async () => {
    const token = await issuer.token(PEOPLE.nationalOperator);
    const post = (headers: Record<string, string>) =>
      guarded(
        withMethod(
          bare('POST /console/executions/{executionName}/redrive', {
            headers: { host: 'clusters.example.gov.cn', ...headers },
            cookies: [`${SESSION_COOKIE}=${token}`],
          }),
          'POST',
        ),
      );
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of crossSite) {
      const refused = await post(headers);
      expect(refused.statusCode, JSON.stringify(headers)).toBe(403);
      expect(parse(refused.body).error.details?.[0]?.field).toBe('origin');
    }
    expect((await post({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await post({ origin: 'https://clusters.example.gov.cn' })).statusCode).toBe(200);
    // Without a session the console's POST is a 401, not a redirect (a script asked, not a person).
    const anonymous = await guarded(withMethod(bare('POST /console/executions/{executionName}/redrive'), 'POST'));
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses the portal uploader’s DELETE from another site too, and takes it from the page itself', async () => {
    const token = await issuer.token(PEOPLE.dunhuaApplicant);
    const remove = (headers: Record<string, string>) =>
      guarded(
        withMethod(
          bare('DELETE /portal/applications/{applicationId}/evidence/{evidenceId}', {
            headers: { host: 'clusters.example.gov.cn', ...headers },
            cookies: [`${SESSION_COOKIE}=${token}`],
          }),
          'DELETE',
        ),
      );
    const refused = await remove({ 'sec-fetch-site': 'cross-site' });
    expect(refused.statusCode).toBe(403);
    expect(parse(refused.body).error.details?.[0]?.field).toBe('origin');
    expect((await remove({ origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await remove({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it('runs a public route with no principal, even when a token comes along', async () => {
    seen.length = 0;
    const token = await issuer.token(PEOPLE.nationalOperator);
    expect((await guarded(bare('GET /console/sign-in', { cookies: [`${SESSION_COOKIE}=${token}`] }))).statusCode).toBe(
      200,
    );
    expect(seen).toEqual([undefined]);
  });
});
