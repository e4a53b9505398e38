/**
 * GET /v1/docs: the API's document as a page to read, rendered on the server from the same
 * document GET /v1/openapi.json serves. No script at all, and one fixed stylesheet allowed by
 * its hash, so the page keeps the pages' strict Content-Security-Policy (default-src 'none').
 */
import { createHash } from 'node:crypto';
import { html, SafeHtml } from '../pages/layout.ts';
import type { HttpResult } from '../http/respond.ts';
import type { JsonSchema } from './operations.ts';
import {
  type OpenApiDocument,
  type OpenApiOperation,
  openApiDocument,
  type Parameter,
  type ResponseObject,
} from './document.ts';

const STYLE = `
body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1b1b1b;background:#f4f4f2}
main{max-width:70rem;margin:0 auto;padding:1rem}
section.op{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.5rem 1rem;margin:0 0 1rem}
h2{font-size:1.05rem;margin:.3rem 0}h3{font-size:.95rem;margin:.6rem 0 .2rem}
.method{display:inline-block;min-width:4.5rem;font-family:ui-monospace,monospace;color:#fff;background:#8a1c1c;border-radius:.2rem;padding:0 .4rem;margin-right:.4rem;text-align:center}
code,.schema{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
ul.schema{list-style:none;margin:0;padding-left:1.1rem;border-left:1px solid #ddd}
.req{color:#8a1c1c}.note{color:#555}
table{border-collapse:collapse}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem .2rem 0;text-align:left;vertical-align:top}
nav ul{columns:2;padding-left:1.1rem}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const REF = '#/components/schemas/';
const anchorOf = (name: string) => `schema-${name}`;

/** The facts of a schema node beside its type: enum, pattern, bounds, format, default. */
function constraints(schema: JsonSchema): string {
  const facts: string[] = [];
  if (Array.isArray(schema.enum)) facts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (schema.const !== undefined) facts.push(`= ${JSON.stringify(schema.const)}`);
  if (typeof schema.format === 'string') facts.push(schema.format);
  // Formats carry long generated patterns: the format says it better.
  else if (typeof schema.pattern === 'string') facts.push(`pattern ${schema.pattern}`);
  for (const key of [
    'minLength',
    'maxLength',
    'minimum',
    'exclusiveMinimum',
    'maximum',
    'minItems',
    'maxItems',
  ] as const) {
    if (typeof schema[key] === 'number' && schema[key] !== Number.MAX_SAFE_INTEGER) facts.push(`${key} ${schema[key]}`);
  }
  if (schema.default !== undefined) facts.push(`default ${JSON.stringify(schema.default)}`);
  return facts.join(' · ');
}

function typeOf(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') return schema.$ref.slice(REF.length);
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return 'one of';
  return 'any';
}

/** A schema as nested lists: each property with its type, whether required, and its constraints. */
function schemaHtml(schema: JsonSchema, depth = 0): SafeHtml {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.slice(REF.length);
    return html`<a href="#${anchorOf(name)}"><code>${name}</code></a>`;
  }
  // A condition on which fields are present (an anyOf of `required` lists, an if/then).
  const keys = Object.keys(schema);
  if (keys.length > 0 && keys.every((key) => key === 'required' || key === 'properties')) {
    return html`<span class="note">with ${((schema.required ?? []) as string[]).join(', ')}${schema.properties ? html` ${schemaHtml({ type: 'object', properties: schema.properties }, depth + 1)}` : ''}</span>`;
  }
  const type = typeOf(schema);
  const facts = constraints(schema);
  const head = html`<code>${type}</code>${facts ? html` <span class="note">${facts}</span>` : ''}${
    typeof schema.description === 'string' ? html` — ${schema.description}` : ''
  }`;
  if (depth > 8) return head;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const items: SafeHtml[] = Object.entries(properties).map(
    ([name, property]) =>
      html`<li><code>${name}</code>${required.has(name) ? html` <span class="req">required</span>` : ''}: ${schemaHtml(property, depth + 1)}</li>`,
  );
  if (schema.items && typeof schema.items === 'object')
    items.push(html`<li>items: ${schemaHtml(schema.items as JsonSchema, depth + 1)}</li>`);
  const values = schema.additionalProperties;
  if (values && typeof values === 'object' && Object.keys(values).length > 0) {
    items.push(html`<li>each value: ${schemaHtml(values as JsonSchema, depth + 1)}</li>`);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options))
      items.push(...options.map((option: JsonSchema) => html`<li>or: ${schemaHtml(option, depth + 1)}</li>`));
  }
  if (schema.if && schema.then) {
    items.push(
      html`<li>if ${schemaHtml(schema.if as JsonSchema, depth + 1)}, then ${schemaHtml(schema.then as JsonSchema, depth + 1)}</li>`,
    );
  }
  return items.length > 0 ? html`${head}<ul class="schema">${items}</ul>` : head;
}

function parametersHtml(parameters: readonly Parameter[]): SafeHtml | string {
  if (parameters.length === 0) return '';
  const rows = parameters.map(
    (p) =>
      html`<tr><td><code>${p.name}</code>${p.required ? html` <span class="req">required</span>` : ''}</td><td>${p.in}</td><td class="schema">${schemaHtml(p.schema)}${p.description ? html` — ${p.description}` : ''}</td></tr>`,
  );
  return html`<h3>Parameters</h3><table><tr><th>name</th><th>in</th><th>schema</th></tr>${rows}</table>`;
}

/**
 * Each media type and its schema; `expand` spells out a named schema in place (request bodies:
 * what to send is read where it is sent), otherwise it links to it below.
 */
function contentHtml(
  doc: OpenApiDocument,
  content: Record<string, { schema: JsonSchema }> | undefined,
  expand = false,
): SafeHtml[] {
  return Object.entries(content ?? {}).map(([media, { schema }]) => {
    const name = typeof schema.$ref === 'string' ? schema.$ref.slice(REF.length) : undefined;
    const named = expand && name !== undefined ? doc.components.schemas[name] : undefined;
    return html`<div><code>${media}</code> ${schemaHtml(schema)}${named ? html`<div class="schema">${schemaHtml(named)}</div>` : ''}</div>`;
  });
}

function responsesHtml(doc: OpenApiDocument, responses: Record<string, ResponseObject>): SafeHtml {
  const rows = Object.entries(responses).map(([status, answer]) => {
    const target =
      '$ref' in answer
        ? (doc.components.responses[String(answer.$ref).split('/').pop() ?? ''] as ResponseObject)
        : answer;
    return html`<tr><td><code>${status}</code></td><td>${target.description}${contentHtml(doc, target.content)}</td></tr>`;
  });
  return html`<h3>Responses</h3><table>${rows}</table>`;
}

const securityText = (security: OpenApiOperation['security']) =>
  security.length === 0
    ? 'none (public)'
    : security.map((requirement) => Object.keys(requirement).join(' + ')).join(' or ');

function operationHtml(doc: OpenApiDocument, method: string, path: string, op: OpenApiOperation): SafeHtml {
  return html`<section class="op" id="${op.operationId}">
<h2><span class="method">${method.toUpperCase()}</span><code>${path}</code></h2>
<p>${op.summary}${typeof op.description === 'string' && op.description ? html`<br><span class="note">${op.description}</span>` : ''}</p>
<p class="note">Security: ${securityText(op.security)}</p>
${parametersHtml(op.parameters ?? [])}
${op.requestBody ? html`<h3>Request body</h3>${contentHtml(doc, op.requestBody.content, true)}` : ''}
${responsesHtml(doc, op.responses)}
</section>`;
}

export function renderDocsPage(doc: OpenApiDocument): string {
  const info = doc.info as { title: string; version: string; description?: string };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, op })),
  );
  const schemes = Object.entries(doc.components.securitySchemes).map(
    ([name, scheme]) =>
      html`<li><code>${name}</code>: ${typeof scheme.description === 'string' ? scheme.description : ''}</li>`,
  );
  const schemas = Object.entries(doc.components.schemas).map(
    ([name, schema]) =>
      html`<section class="op" id="${anchorOf(name)}"><h2><code>${name}</code></h2><div class="schema">${schemaHtml(schema)}</div></section>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${info.title} · ${info.version}</title>
<style>${new SafeHtml(STYLE)}</style></head>
<body><main>
<h1>${info.title} <small>${info.version}</small></h1>
<p>${info.description ?? ''} The same document as JSON: <a href="openapi.json"><code>/v1/openapi.json</code></a>.</p>
<h2>Security schemes</h2><ul>${schemes}</ul>
<nav><h2>Operations</h2><ul>${operations.map(({ method, path, op }) => html`<li><a href="#${op.operationId}"><code>${method.toUpperCase()} ${path}</code></a></li>`)}</ul></nav>
${operations.map(({ method, path, op }) => operationHtml(doc, method, path, op))}
<h2>Schemas</h2>
${schemas}
</main></body></html>`.value;
}

let page: string | undefined;
/** The page, rendered once per process from the document. */
export function docsPage(): HttpResult {
  page ??= renderDocsPage(openApiDocument());
  return { statusCode: 200, headers: HEADERS, body: page };
}
