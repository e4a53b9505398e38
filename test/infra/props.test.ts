import { describe, expect, it } from 'vitest';
import { definePipeline } from '../../infra/pipeline.ts';
import { DEFAULT_ALLOWED_ORIGINS, parseAllowedOrigins } from '../../infra/settings.ts';
import { StatefulStack } from '../../infra/stacks/stateful-stack.ts';
import { StatelessStack } from '../../infra/stacks/stateless-stack.ts';
import { TEST_ORIGINS, testApp } from './helpers.ts';

describe('allowedOrigins', () => {
  it.each([
    [[], /at least one origin/],
    [['*'], /wildcard origin "\*" is not allowed/],
    [['https://*.example.gov.cn'], /wildcard origin "https:\/\/\*\.example\.gov\.cn" is not allowed/],
    [['clusters.example.gov.cn'], /"clusters\.example\.gov\.cn" is not a URL/],
    [['https://clusters.example.gov.cn/'], /no path, query or trailing slash.*"https:\/\/clusters\.example\.gov\.cn"/],
    [['https://clusters.example.gov.cn/app'], /no path, query or trailing slash/],
    [['http://clusters.example.gov.cn'], /must use https/],
    [['https://clusters.example.gov.cn', ''], /"" is not an origin/],
  ])('the stateful stack rejects %j', (origins, message) => {
    expect(() => new StatefulStack(testApp(), 'Stateful', { allowedOrigins: origins })).toThrow(message);
  });

  it.each([[[]], [['*']]])('the stateless stack rejects %j too', (origins) => {
    const app = testApp();
    const { bucket, table, linkKey, signIn } = new StatefulStack(app, 'Stateful', { allowedOrigins: TEST_ORIGINS });
    expect(
      () => new StatelessStack(app, 'Stateless', { allowedOrigins: origins, bucket, table, linkKey, signIn }),
    ).toThrow(/allowedOrigins/);
  });

  it('accepts https origins, ports, and plain http on loopback', () => {
    const origins = ['https://clusters.example.gov.cn', 'https://a.example:8443', 'http://127.0.0.1:3000'];
    expect(() => new StatefulStack(testApp(), 'Stateful', { allowedOrigins: origins })).not.toThrow();
  });

  it('reads context as an array, a JSON string or a comma-separated string', () => {
    expect(parseAllowedOrigins(undefined)).toEqual(DEFAULT_ALLOWED_ORIGINS);
    expect(parseAllowedOrigins(['https://a.example'])).toEqual(['https://a.example']);
    expect(parseAllowedOrigins('["https://a.example","https://b.example"]')).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseAllowedOrigins(' https://a.example , https://b.example ')).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseAllowedOrigins('')).toEqual([]);
    expect(() => parseAllowedOrigins('{"a":1}')).toThrow(/expected a JSON array/);
    expect(() => parseAllowedOrigins('["https://a.example"')).toThrow(/not valid JSON/);
  });
});

describe('other props', () => {
  it.each(['Prod', 'dev_1', '', '1dev', 'a'.repeat(21)])('rejects the stage name %j', (stage) => {
    expect(() => definePipeline(testApp(), { stage, allowedOrigins: TEST_ORIGINS })).toThrow(/stage/);
  });

  it('names the stacks after the stage and protects prod from deletion', () => {
    const { stateful, stateless } = definePipeline(testApp(), {
      stage: 'prod',
      allowedOrigins: TEST_ORIGINS,
    });
    expect([stateful.stackName, stateless.stackName]).toEqual([
      'ClusterPipeline-prod-Stateful',
      'ClusterPipeline-prod-Stateless',
    ]);
    expect(stateful.terminationProtection).toBe(true);
  });

  it.each([0, -1, 1.5])('rejects lifecycle days of %d', (days) => {
    expect(
      () =>
        new StatefulStack(testApp(), 'Stateful', {
          allowedOrigins: TEST_ORIGINS,
          quarantineExpirationDays: days,
        }),
    ).toThrow(/quarantineExpirationDays must be a whole number of days/);
  });

  it('rejects more validator retries than Lambda allows', () => {
    const app = testApp();
    const { bucket, table, linkKey, signIn } = new StatefulStack(app, 'Stateful', { allowedOrigins: TEST_ORIGINS });
    expect(
      () =>
        new StatelessStack(app, 'Stateless', {
          allowedOrigins: TEST_ORIGINS,
          bucket,
          table,
          linkKey,
          signIn,
          validatorRetryAttempts: 3,
        }),
    ).toThrow(/validatorRetryAttempts must be 0, 1 or 2/);
  });
});

describe('email settings', () => {
  const stateless = (props: { senderEmail?: string; publicBaseUrl?: string }) => {
    const app = testApp();
    const { bucket, table, linkKey, signIn } = new StatefulStack(app, 'Stateful', { allowedOrigins: TEST_ORIGINS });
    return () =>
      new StatelessStack(app, 'Stateless', { allowedOrigins: TEST_ORIGINS, bucket, table, linkKey, signIn, ...props });
  };

  it.each(['', 'clusters.example.gov.cn', 'Clusters <no-reply@clusters.example.gov.cn>', 'a@b'])(
    'rejects the sender %j',
    (senderEmail) => {
      expect(stateless({ senderEmail })).toThrow(/senderEmail .* must be a bare email address/);
    },
  );

  it.each([
    ['clusters.example.gov.cn', /is not a URL/],
    ['http://clusters.example.gov.cn', /must use https/],
    ['https://clusters.example.gov.cn/', /must not end with "\/"/],
    ['https://clusters.example.gov.cn/?x=1', /no query, fragment or credentials/],
  ])('rejects the public base URL %j', (publicBaseUrl, message) => {
    expect(stateless({ publicBaseUrl })).toThrow(message);
  });

  it('accepts a sender address, an https base URL with a path, and loopback http', () => {
    expect(
      stateless({
        senderEmail: 'ladder@clusters.example.gov.cn',
        publicBaseUrl: 'https://clusters.example.gov.cn/api',
      }),
    ).not.toThrow();
    expect(stateless({ publicBaseUrl: 'http://127.0.0.1:3000' })).not.toThrow();
  });
});
