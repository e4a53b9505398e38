/**
 * The API's contract as an OpenAPI 3.1 document, generated from the route table (ROUTES: method,
 * path, access, pages, bodies) and the zod schemas each route parses and answers (OPERATIONS).
 * Served at GET /v1/openapi.json and rendered at GET /v1/docs; the tests validate it and check
 * the API's answers against it.
 */
import * as z from 'zod';
import { SESSION_COOKIE } from '../auth/verify.ts';
import { accessOf, readsBody, ROUTES, type Route, type RouteAccess, type RouteKey, routeKey } from '../http/routes.ts';
import {
  type Answer,
  EXPORT_MEDIA_TYPES,
  type JsonSchema,
  OPERATIONS,
  type OperationSpec,
  REQUEST_OVERRIDES,
  REQUEST_SCHEMAS,
  type RequestName,
  RESPONSE_SCHEMAS,
} from './operations.ts';

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
  };
};

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, ResponseObject>;
  [extra: string]: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: JsonSchema }>;
}

/**
 * One zod schema as JSON Schema draft 2020-12, the dialect of OpenAPI 3.1. `io` picks the side:
 * requests are documented as sent (input: a field with a default is optional, a pipe shows what
 * it takes), answers as sent back (output). z.toJSONSchema throws on what JSON Schema cannot
 * express (transforms, custom types); `unrepresentable: 'any'` documents such a node as "any
 * value" instead, so one new transform cannot take the API's documentation down (the schemas
 * here have none today; refinements are dropped without either, see REQUEST_OVERRIDES).
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  // Components must stand alone: a `$defs` reference would resolve against the whole document.
  if ('$defs' in json) throw new Error('a schema of the API document repeats itself recursively; give it a component');
  return json;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/**
 * Who may call a route, as security requirements (any one suffices): `token` the ID token as a
 * Bearer token (the JWT authorizer checks it); `link` the emailed link's secret, or a reviewer's
 * token; `session` the console's cookie, or a token; `public` nothing.
 */
export const SECURITY: Record<RouteAccess, Record<string, string[]>[]> = {
  token: [{ bearerAuth: [] }],
  link: [{ reviewLink: [] }, { bearerAuth: [] }],
  session: [{ consoleSession: [] }, { bearerAuth: [] }],
  public: [],
};

const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'The signed-in user’s ID token (the user pool’s, or the local issuer’s), with custom:role and custom:jurisdiction.',
  },
  reviewLink: {
    type: 'apiKey',
    in: 'query',
    name: 't',
    description: 'The secret of an emailed review link. A decision may carry it in its body as `t` instead.',
  },
  consoleSession: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The session of the console and the applicants’ portal (HttpOnly, SameSite=Strict, Path=/): set by signing in; named `__Host-cp_session` over https.',
  },
};

/** `GET /v1/applications/{applicationId}/history` → getApplicationsHistory-style ids, unique per route. */
function operationId(route: Route): string {
  const words = route.path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'v1')
    .map((segment) => (segment.startsWith('{') ? `by-${segment.slice(1, -1)}` : segment));
  return [route.method.toLowerCase(), ...words]
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word, i) => (i === 0 ? word : word[0]?.toUpperCase() + word.slice(1)))
    .join('');
}

const tagOf = (route: Route) =>
  route.path.startsWith('/console')
    ? 'console'
    : route.path.startsWith('/notice')
      ? 'notice'
      : (route.path.split('/')[2] ?? 'api').replace(/\..*$/, '');

const pathNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);

function objectParameters(schema: z.ZodObject, where: Parameter['in'], allOptional = false): Parameter[] {
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: !allOptional && required.has(name),
      ...(typeof description === 'string' && { description }),
      schema: rest,
    };
  });
}

function parameters(route: Route, spec: OperationSpec): Parameter[] {
  const fromSchema = spec.path ? objectParameters(spec.path, 'path') : [];
  const path = pathNames(route.path).map((name): Parameter => ({
    ...(fromSchema.find((p) => p.name === name) ?? { name, in: 'path', schema: { type: 'string', minLength: 1 } }),
    required: true,
  }));
  return [
    ...path,
    ...(spec.query ? objectParameters(spec.query, 'query', spec.queryByPage) : []),
    ...(spec.headers ? objectParameters(spec.headers, 'header') : []),
  ];
}

function requestBody(route: Route, spec: OperationSpec): OpenApiOperation['requestBody'] {
  if (!readsBody(route) || !spec.body) return undefined;
  const content: Record<string, { schema: JsonSchema }> = { 'application/json': { schema: ref(spec.body) } };
  if (spec.form) content['application/x-www-form-urlencoded'] = { schema: ref(spec.body) };
  return { required: true, content };
}

const PAGE: ResponseObject['content'] = { 'text/html': { schema: { type: 'string' } } };
const REDIRECT: ResponseObject = {
  description: 'See other: the browser goes on to Location',
  headers: { Location: { required: true, schema: { type: 'string' } } },
};

function answer(value: Answer): ResponseObject {
  switch (value) {
    case 'page':
      return { description: 'An HTML page', content: PAGE };
    case 'redirect':
      return REDIRECT;
    case 'files':
      return {
        description: 'The table as an attachment (Content-Disposition names the file)',
        content: {
          [EXPORT_MEDIA_TYPES.xlsx]: { schema: { type: 'string', contentMediaType: EXPORT_MEDIA_TYPES.xlsx } },
          [EXPORT_MEDIA_TYPES.csv]: { schema: { type: 'string' } },
        },
      };
    case 'document':
      return {
        description: 'The OpenAPI 3.1 document',
        content: { 'application/json': { schema: { type: 'object' } } },
      };
    default:
      return { description: `Done: ${value}`, content: { 'application/json': { schema: ref(value) } } };
  }
}

function responses(route: Route, spec: OperationSpec): Record<string, ResponseObject> {
  const out: Record<string, ResponseObject> = {};
  for (const [status, value] of Object.entries(spec.responses)) out[status] = answer(value);
  // A console page without a session sends the browser to sign in.
  if (accessOf(route) === 'session' && route.page === true)
    out['303'] ??= { ...REDIRECT, description: 'Not signed in: to the sign-in page' };
  // No valid ID token: the JWT authorizer answers before the handler (a handler's own 401 has the error shape).
  if (accessOf(route) === 'token')
    out['401'] = { $ref: '#/components/responses/Unauthorized' } as unknown as ResponseObject;
  const refusal = route.page === true ? 'PageError' : 'Error';
  out['4XX'] = { $ref: `#/components/responses/${refusal}` } as unknown as ResponseObject;
  out['5XX'] = { $ref: `#/components/responses/${refusal}` } as unknown as ResponseObject;
  return out;
}

function operation(route: Route): OpenApiOperation {
  const spec = OPERATIONS[routeKey(route) as RouteKey];
  const params = parameters(route, spec);
  const body = requestBody(route, spec);
  return {
    operationId: operationId(route),
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    tags: [tagOf(route)],
    security: SECURITY[accessOf(route)],
    ...(params.length > 0 && { parameters: params }),
    ...(body && { requestBody: body }),
    responses: responses(route, spec),
  };
}

function components(): OpenApiDocument['components'] {
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(REQUEST_SCHEMAS)) {
    const json = jsonSchemaOf(schema, 'input');
    schemas[name] = REQUEST_OVERRIDES[name as RequestName]?.(json) ?? json;
  }
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) schemas[name] = jsonSchemaOf(schema, 'output');
  return {
    schemas,
    securitySchemes: SECURITY_SCHEMES,
    responses: {
      Error: {
        description: 'Refused (4xx) or failed (5xx): the one error shape; `details` names each bad field',
        content: { 'application/json': { schema: ref('Error') } },
      },
      Unauthorized: {
        description: 'No valid ID token: refused by the JWT authorizer, in API Gateway’s own shape',
        content: { 'application/json': { schema: { anyOf: [ref('GatewayRefusal'), ref('Error')] } } },
      },
      PageError: { description: 'Refused or failed: an HTML page naming each bad field', content: PAGE },
    },
  };
}

export function buildOpenApiDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of ROUTES as readonly Route[]) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'SME characteristic industrial clusters: recommendation pipeline API',
      version: 'v1',
      description:
        'Counties file applications with evidence; cities, provinces and MIIT review them; operators watch and export. ' +
        'Generated from the route table and the zod schemas the handlers parse with.',
    },
    paths,
    components: components(),
  };
}

let built: OpenApiDocument | undefined;
/** The document, built once per process (the route table and schemas do not change while it runs). */
export const openApiDocument = (): OpenApiDocument => (built ??= buildOpenApiDocument());
