import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/pipeline-function.ts';
import { onlyResource, synthPipeline, TEST_ORIGINS } from './helpers.ts';

/**
 * The rest of the security baseline: CORS limited to the configured origins, and logs that carry
 * no personal data (API access logs, the state machine's logs, and what the handlers log).
 */
const { statefulTemplate, statelessTemplate } = synthPipeline();

describe('CORS', () => {
  it('the API answers the configured origins only: no wildcard, no credentials', () => {
    const cors = onlyResource(statelessTemplate, 'AWS::ApiGatewayV2::Api').Properties.CorsConfiguration;
    expect(cors.AllowOrigins).toEqual(TEST_ORIGINS);
    expect(JSON.stringify(cors)).not.toContain('*');
    expect(cors.AllowCredentials).not.toBe(true);
  });

  it('the evidence bucket takes browser uploads from the configured origins only', () => {
    const buckets = Object.values(statefulTemplate.findResources('AWS::S3::Bucket'));
    const rules = buckets.flatMap((bucket) => bucket.Properties.CorsConfiguration?.CorsRules ?? []);
    expect(rules).toHaveLength(1);
    expect(rules[0].AllowedOrigins).toEqual(TEST_ORIGINS);
    expect(rules[0].AllowedMethods).toEqual(['POST']);
  });
});

describe('API access logs', () => {
  const format = JSON.parse(
    onlyResource(statelessTemplate, 'AWS::ApiGatewayV2::Stage').Properties.AccessLogSettings.Format as string,
  ) as Record<string, string>;

  it('log only these request facts (the source IP and user agent for abuse investigation)', () => {
    expect(Object.values(format).sort()).toEqual(
      [
        '$context.requestId',
        '$context.requestTime',
        '$context.identity.sourceIp',
        '$context.identity.userAgent',
        '$context.httpMethod',
        '$context.routeKey',
        '$context.path',
        '$context.protocol',
        '$context.status',
        '$context.responseLength',
        '$context.responseLatency',
        '$context.integrationLatency',
        '$context.integrationErrorMessage',
      ].sort(),
    );
  });

  it('never log a body, a query string (review links carry their secret in ?t=), headers or claims', () => {
    expect(JSON.stringify(format)).not.toMatch(
      /\$input|body|querystring|requestOverride|header|authorizer|\$request\./i,
    );
  });

  it('are kept for a retention, not forever', () => {
    const stage = onlyResource(statelessTemplate, 'AWS::ApiGatewayV2::Stage').Properties;
    const logGroupId = stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(statelessTemplate.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(90);
  });
});

describe('state machine logs', () => {
  it('log every transition without execution data (decisions, reasons, task tokens)', () => {
    const machine = onlyResource(statelessTemplate, 'AWS::StepFunctions::StateMachine').Properties;
    expect(machine.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });
});

// ---- what the handlers log: ids and counts, never an address --------------------------------

function sources(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Each logging call (logger/log/console .debug/.info/.warn/.error/.log) with its arguments. */
function loggingCalls(file: string): { at: string; call: string }[] {
  const text = readFileSync(file, 'utf8');
  const found: { at: string; call: string }[] = [];
  const start = /\b(?:logger|log|console)\??\.(?:debug|info|warn|error|log)\(/g;
  for (const match of text.matchAll(start)) {
    let depth = 0;
    let end = match.index;
    for (let i = match.index; i < text.length; i++) {
      if (text[i] === '(') depth++;
      if (text[i] === ')' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ at: `${relative(PROJECT_ROOT, file)}:${line}`, call: text.slice(match.index, end) });
  }
  return found;
}

/** Keys or members that would put an address or a contact into a log line. */
const PERSONAL =
  /(?:\b|\.)(?:e-?mails?|emailedTo|to|recipients?List|addresses|contact\w*|phone\w*|mobile|fromAddress|sender)\s*[:,})]|\.(?:e-?mails?|emailedTo|to|contact\w*|phone\w*)\b/i;

describe('handler logs carry ids and counts, never an email address or contact', () => {
  const calls = ['shared', 'functions'].flatMap(sources).flatMap(loggingCalls);

  it('finds the logging calls (sanity)', () => {
    expect(calls.length).toBeGreaterThan(10);
  });

  it('no logging call passes an email, recipients list or contact field', () => {
    // String literals are messages (they may name a field, e.g. "no contact email on the form").
    const offending = calls.filter(({ call }) =>
      PERSONAL.test(call.replace(/'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*"/g, "''")),
    );
    expect(offending).toEqual([]);
  });

  it('the check itself catches an address being logged', () => {
    const sample = "logger.info('sent', { to: email.to, applicationId })";
    expect(PERSONAL.test(sample.replace(/'(?:[^'\\]|\\.)*'/g, "''"))).toBe(true);
    expect(PERSONAL.test("log.info('', { recipients: sent.recipients })")).toBe(false);
  });
});
