/**
 * The API's answers checked against its own document (GET /v1/openapi.json): the route the
 * request path matches, the status it lists (exactly, else its 4XX/5XX), the media type, and a
 * JSON body against the response's schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import {
  buildOpenApiDocument,
  type OpenApiDocument,
  type OpenApiOperation,
  type ResponseObject,
} from '../../shared/platform/openapi/document.ts';
import type { JsonSchema } from '../../shared/platform/openapi/operations.ts';

export interface ContractCheck {
  method: string;
  /** The concrete request path (a query string is ignored), or a route template. */
  path: string;
  status: number;
  /** The response's Content-Type header, parameters and all; undefined for none. */
  contentType?: string | null;
  /** The parsed body (JSON), the text (other media types), or undefined / '' for none. */
  body: unknown;
}

const document: OpenApiDocument = buildOpenApiDocument();

// ajv-formats is CommonJS: its function is the module itself or its `default`, by loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validators = new Map<string, ValidateFunction>();

interface Template {
  path: string;
  pattern: RegExp;
  literals: number;
}

/** The document's paths as patterns; the most literal first (`/console/inbox` before `/console/{page}`), as API Gateway prefers. */
const TEMPLATES: Template[] = Object.keys(document.paths)
  .map((path) => {
    const segments = path.split('/');
    const source = segments
      .map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return { path, pattern: new RegExp(`^${source}$`), literals: segments.filter((s) => !s.startsWith('{')).length };
  })
  .sort((a, b) => b.literals - a.literals);

/** The operation a request reaches, or undefined when no route serves it. */
function findOperation(method: string, path: string): { template: string; operation: OpenApiOperation } | undefined {
  const bare = path.split('?')[0] ?? path;
  const verb = method.toLowerCase();
  const template = TEMPLATES.find((t) => t.pattern.test(bare) && document.paths[t.path]?.[verb] !== undefined);
  const operation = template && document.paths[template.path]?.[verb];
  return template && operation ? { template: template.path, operation } : undefined;
}

function resolved(answer: ResponseObject | { $ref: string }): ResponseObject {
  if (!('$ref' in answer)) return answer;
  const name = answer.$ref.split('/').pop() ?? '';
  return document.components.responses[name] as ResponseObject;
}

/** The document's schemas, for the `$ref`s of a response schema: `#/components/schemas/X` → `<base>#/$defs/X`. */
const BASE = 'https://contract.invalid/openapi.json';
ajv.addSchema({ $id: BASE, $defs: document.components.schemas });
const rebased = (schema: JsonSchema): JsonSchema =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${BASE}#/$defs/`)) as JsonSchema;

function validatorFor(schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(rebased(schema));
    validators.set(key, validate);
  }
  return validate;
}

const isEmpty = (body: unknown) => body === undefined || body === null || body === '';

/**
 * Throws when the answer is not one the API's document describes, naming the route, the status
 * and each failing field (`body.checklist.0.maxFiles must be integer`).
 */
export function expectContract({ method, path, status, contentType, body }: ContractCheck): void {
  const found = findOperation(method, path);
  if (!found) {
    // What no route serves, API Gateway answers itself (404, or 405 for a known path under
    // another method): still in the one error shape, which tests probing such paths rely on.
    if (status !== 404 && status !== 405)
      throw new Error(`contract: no operation in the API document for ${method} ${path}`);
    const validate = validatorFor({ $ref: '#/components/schemas/Error' });
    if (!validate(body)) throw new Error(`contract: ${method} ${path} → ${status} is not in the error shape`);
    return;
  }
  const { template, operation } = found;
  const route = `${method.toUpperCase()} ${template}`;
  const answers = operation.responses as Record<string, ResponseObject | { $ref: string }>;
  const listed = answers[String(status)] ?? answers[`${String(status)[0]}XX`] ?? answers.default;
  if (!listed)
    throw new Error(
      `contract: ${route} answered ${status}, which its operation does not list (${Object.keys(answers).join(', ')})`,
    );
  const response = resolved(listed);
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) {
    // A redirect's answer is its Location; the short page some carry for old browsers is not the contract.
    if (status >= 300 && status < 400) return;
    if (!isEmpty(body)) throw new Error(`contract: ${route} → ${status} has no body in the document, but one came`);
    return;
  }
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const media = content[essence];
  if (!media) {
    throw new Error(
      `contract: ${route} → ${status} answered ${contentType ?? 'no content type'}; the document lists ${Object.keys(content).join(', ')}`,
    );
  }
  if (essence !== 'application/json') return;
  const validate = validatorFor(media.schema);
  if (validate(body)) return;
  const problems = (validate.errors ?? []).slice(0, 8).map((error) => {
    const field = `body${error.instancePath.replace(/\//g, '.')}`;
    const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
    return `${field} ${error.message ?? error.keyword}${extra}`;
  });
  throw new Error(`contract: ${route} → ${status} does not match its schema:\n  ${problems.join('\n  ')}`);
}
