import { GetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type SpecData, Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_CONTENT_TYPE } from '../../../shared/operations/exports/csv.ts';
import { SUMMARY_FILES } from '../../../shared/operations/exports/summary.ts';
import { XLSX_CONTENT_TYPE } from '../../../shared/operations/exports/xlsx.ts';
import { SESSION_COOKIE } from '../../../shared/platform/auth/verify.ts';
import { accessOf, readsBody, ROUTES, type Route, routeKey } from '../../../shared/platform/http/routes.ts';
import { buildOpenApiDocument, type OpenApiOperation } from '../../../shared/platform/openapi/document.ts';
import { EXPORT_FILES, EXPORT_MEDIA_TYPES } from '../../../shared/platform/openapi/operations.ts';
import {
  CreateApplicationBodySchema,
  EvidenceRequestBodySchema,
  PatchApplicationBodySchema,
} from '../../../shared/schemas/api.ts';
import { CancelBodySchema, DecisionBodySchema } from '../../../shared/schemas/reviews.ts';
import { expectContract } from '../../support/contract.ts';
import { apiEvent } from '../support.ts';

process.env.TABLE_NAME = 'Records';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';

const doc = buildOpenApiDocument();
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
);
const operationFor = (route: Route) => doc.paths[route.path]?.[route.method.toLowerCase()] as OpenApiOperation;

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('the validator does refuse a broken document (a response without its description)', async () => {
    const broken = structuredClone(doc);
    const operation = broken.paths['/v1/campaigns']?.get as OpenApiOperation;
    operation.responses = { '200': { content: {} } as unknown as OpenApiOperation['responses'][string] };
    expect((await new Validator().validate(broken as unknown as SpecData)).valid).toBe(false);
  });

  it('has exactly one operation per route of the table, and none without a route', () => {
    const keys = operations.map(({ key }) => key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(ROUTES.map(routeKey).sort());
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s: security as its access says',
    (_key, route) => {
      const security = operationFor(route).security;
      const schemes = security.flatMap((requirement) => Object.keys(requirement)).sort();
      const expected = {
        token: ['bearerAuth'],
        link: ['bearerAuth', 'reviewLink'],
        session: ['bearerAuth', 'consoleSession'],
        public: [],
      };
      expect(schemes).toEqual(expected[accessOf(route)]);
      // Each alternative is a requirement of its own: any one of them lets the caller in.
      expect(security.every((requirement) => Object.keys(requirement).length === 1)).toBe(true);
    },
  );

  it('names the credentials where they travel: the ID token, the link’s `t`, the session cookie', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      reviewLink: { type: 'apiKey', in: 'query', name: 't' },
      consoleSession: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
    });
  });

  it.each((ROUTES as readonly Route[]).map((route) => [routeKey(route), route] as const))(
    '%s: its path parameters, body and refusals',
    (_key, route) => {
      const operation = operationFor(route);
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const inPath = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect(inPath.map((p) => p.name)).toEqual(names);
      expect(inPath.every((p) => p.required)).toBe(true);
      if (!readsBody(route)) expect(operation.requestBody).toBeUndefined();
      // Without a valid token the JWT authorizer answers first, in API Gateway's own shape.
      if (accessOf(route) === 'token')
        expect(operation.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
      else expect(operation.responses['401']).toBeUndefined();
      const refusal = route.page === true ? 'PageError' : 'Error';
      expect(operation.responses['4XX']).toEqual({ $ref: `#/components/responses/${refusal}` });
      expect(operation.responses['5XX']).toEqual({ $ref: `#/components/responses/${refusal}` });
      const success = Object.keys(operation.responses).filter((status) => /^[23]\d\d$/.test(status));
      expect(success.length, 'a success status').toBeGreaterThan(0);
    },
  );

  it('answers pages as text/html, and the summary tables as XLSX and CSV (the exports’ own types and files)', () => {
    const page = operationFor({ method: 'GET', path: '/v1/reviews/{reviewId}', fn: 'reviews' }).responses['200'];
    expect(page?.content).toHaveProperty(['text/html']);
    const exports = operationFor({ method: 'GET', path: '/v1/exports/{campaignId}/{file}', fn: 'exports' });
    expect(Object.keys(exports.responses['200']?.content ?? {}).sort()).toEqual(
      [XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE.split(';')[0]].sort(),
    );
    expect(EXPORT_MEDIA_TYPES.xlsx).toBe(XLSX_CONTENT_TYPE);
    expect(EXPORT_FILES).toEqual(SUMMARY_FILES);
  });
});

describe('request schemas refuse what the zod schemas refuse', () => {
  const ajv = new Ajv2020({ strict: false });
  const accepts = (name: string, value: unknown) => ajv.validate(doc.components.schemas[name] as object, value);

  const draft = {
    campaignId: 'demo-2026-recommendation',
    track: 'recommendation',
    countyCode: '222403',
    clusterName: '敦化市医药产业集群',
    leadingIndustry: '医药',
    subSector: '中成药',
  };
  const cases: [string, { safeParse(value: unknown): { success: boolean } }, unknown, boolean][] = [
    ['CreateApplicationBody', CreateApplicationBodySchema, draft, true],
    ['CreateApplicationBody', CreateApplicationBodySchema, { ...draft, campaignId: undefined }, false],
    ['CreateApplicationBody', CreateApplicationBodySchema, { ...draft, countyCode: '2224' }, false],
    ['CreateApplicationBody', CreateApplicationBodySchema, { ...draft, colour: 'red' }, false],
    ['PatchApplicationBody', PatchApplicationBodySchema, { subSector: '人参制品', revision: 0 }, true],
    ['PatchApplicationBody', PatchApplicationBodySchema, { revision: 3 }, false],
    [
      'EvidenceRequestBody',
      EvidenceRequestBodySchema,
      { criterion: 'application-form', fileName: 'a.pdf', contentType: 'application/pdf', size: 10 },
      true,
    ],
    [
      'EvidenceRequestBody',
      EvidenceRequestBodySchema,
      { criterion: 'application-form', fileName: 'a.txt', contentType: 'text/plain', size: 10 },
      false,
    ],
    ['DecisionBody', DecisionBodySchema, { decision: 'approve' }, true],
    ['DecisionBody', DecisionBodySchema, { decision: 'return' }, false],
    ['DecisionBody', DecisionBodySchema, { decision: 'maybe', reason: 'x' }, false],
    ['CancelBody', CancelBodySchema, { reason: '经查实提供虚假材料' }, true],
    ['CancelBody', CancelBodySchema, { reason: '' }, false],
  ];

  it.each(
    cases.map(
      ([name, schema, value, valid]) => [`${name} ${JSON.stringify(value)}`, name, schema, value, valid] as const,
    ),
  )('%s', (_title, name, schema, value, valid) => {
    const body = JSON.parse(JSON.stringify(value)) as unknown;
    expect(schema.safeParse(body).success).toBe(valid);
    expect(accepts(name, body)).toBe(valid);
  });
});

describe('the contract check', () => {
  it('matches the request path to its route and names the failing field', () => {
    const ok = {
      jurisdiction: { code: '222400', name: '延边朝鲜族自治州' },
      status: 'PENDING',
      reviews: [],
      lapsed: [],
    };
    expect(() =>
      expectContract({
        method: 'GET',
        path: '/v1/reviews?jurisdiction=222400',
        status: 200,
        contentType: 'application/json; charset=utf-8',
        body: ok,
      }),
    ).not.toThrow();
    expect(() =>
      expectContract({
        method: 'GET',
        path: '/v1/reviews',
        status: 200,
        contentType: 'application/json',
        body: { ...ok, status: 'DONE' },
      }),
    ).toThrow(/GET \/v1\/reviews → 200[\s\S]*body\.status/);
    expect(() =>
      expectContract({ method: 'GET', path: '/v1/reviews', status: 200, contentType: 'text/html', body: '' }),
    ).toThrow(/text\/html/);
  });

  it('checks refusals against the one error shape, and pages by media type', () => {
    const refusal = {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'bad',
        details: [{ field: 'campaignId', code: 'invalid_type', message: 'required' }],
      },
    };
    expect(() =>
      expectContract({
        method: 'POST',
        path: '/v1/applications',
        status: 400,
        contentType: 'application/json',
        body: refusal,
      }),
    ).not.toThrow();
    expect(() =>
      expectContract({
        method: 'POST',
        path: '/v1/applications',
        status: 400,
        contentType: 'application/json',
        body: { message: 'bad' },
      }),
    ).toThrow(/POST \/v1\/applications → 400[\s\S]*body must have required property 'error'/);
    const gateway = { method: 'GET', path: '/v1/campaigns', status: 401, contentType: 'application/json' };
    expect(() => expectContract({ ...gateway, body: { message: 'Unauthorized' } })).not.toThrow();
    expect(() => expectContract({ ...gateway, body: { message: 7 } })).toThrow(/GET \/v1\/campaigns → 401/);
    expect(() =>
      expectContract({
        method: 'GET',
        path: '/console/inbox',
        status: 403,
        contentType: 'text/html; charset=utf-8',
        body: '<p>no</p>',
      }),
    ).not.toThrow();
    expect(() =>
      expectContract({ method: 'DELETE', path: '/v1/reviews', status: 200, contentType: 'application/json', body: {} }),
    ).toThrow(/no operation/);
  });
});

describe('served by the campaigns function, to anyone', () => {
  type Handler = (
    event: ReturnType<typeof apiEvent>,
  ) => Promise<{ statusCode: number; headers?: Record<string, unknown>; body: string }>;
  let campaigns: Handler;
  const ddb = mockClient(DynamoDBDocumentClient);

  beforeAll(async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    campaigns = (await import('../../../functions/campaigns.ts')).handler;
  });

  it('GET /v1/openapi.json answers the document without anyone signed in', async () => {
    const result = await campaigns(apiEvent('GET /v1/openapi.json'));
    expect(result.statusCode).toBe(200);
    expect(String(result.headers?.['content-type'])).toMatch(/^application\/json/);
    expect(JSON.parse(result.body)).toEqual(doc);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('GET /v1/docs renders every operation on a page without script, under a strict CSP', async () => {
    const result = await campaigns(apiEvent('GET /v1/docs'));
    expect(result.statusCode).toBe(200);
    const headers = result.headers ?? {};
    expect(String(headers['content-type'])).toMatch(/^text\/html/);
    const csp = String(headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src|https?:/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(result.body).not.toMatch(/<script|\bon[a-z]+=|<link|<img|src=/i);
    for (const { key, operation } of operations) {
      expect(result.body, key).toContain(`id="${operation.operationId}"`);
    }
    // The schema of a body and its fields, named and cross-linked.
    expect(result.body).toContain('href="#schema-CreateApplicationBody"');
    expect(result.body).toContain('<code>campaignId</code> <span class="req">required</span>');
  });
});
