import { describe, expect, it } from 'vitest';
import { definePipeline } from '../../infra/pipeline.ts';
import { isChinaRegion, mailerFor, parseMailer } from '../../infra/settings.ts';
import { logicalId, synthPipelineWith, TEST_OIDC, TEST_ORIGINS, testApp } from './helpers.ts';

/**
 * The AWS China regions (partition aws-cn): both stacks synthesize bound to cn-north-1 and
 * cn-northwest-1, with partition-aware ARNs only, no SES (not offered there), no Lambda X-Ray
 * (no Lambda integration there) and no Cognito user pool (sign-in comes from the OIDC settings;
 * test/infra/sign-in.test.ts).
 */
describe.each(['cn-north-1', 'cn-northwest-1'])('bound to %s', (region) => {
  const pipeline = synthPipelineWith({ env: { region, account: '123456789012' }, oidc: TEST_OIDC });
  const templates = [
    ['stateful', pipeline.statefulTemplate],
    ['stateless', pipeline.statelessTemplate],
  ] as const;

  it.each(templates)('the %s template has no ARN of the aws partition', (_kind, template) => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/arn:aws:/);
    // Every literal ARN names the China partition (the rest are built with AWS::Partition).
    for (const arn of text.match(/arn:[a-z-]+:/g) ?? []) expect(arn).toBe('arn:aws-cn:');
  });

  it('sends no email through SES, and has the SMTP secret instead', () => {
    const text = JSON.stringify(pipeline.statelessTemplate.toJSON());
    expect(text).not.toMatch(/"ses:/);
    expect(pipeline.stateful.smtpSettings).toBeDefined();
    pipeline.statefulTemplate.hasOutput('SmtpSettingsSecretArn', {
      Value: { Ref: logicalId(pipeline.stateful, pipeline.stateful.smtpSettings as never) },
    });
  });

  it('turns Lambda X-Ray off (not integrated with Lambda there)', () => {
    const functions = Object.values(
      pipeline.statelessTemplate.findResources('AWS::Lambda::Function', {
        Properties: { Runtime: 'nodejs22.x' },
      }),
    );
    expect(functions.length).toBeGreaterThan(10);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toBeUndefined();
  });
});

describe('mailer settings', () => {
  it('refuses SES in a China region, at synth', () => {
    expect(() =>
      definePipeline(testApp(), {
        stage: 'test',
        allowedOrigins: TEST_ORIGINS,
        env: { region: 'cn-northwest-1' },
        oidc: TEST_OIDC,
        mailer: 'ses',
      }),
    ).toThrow(/SES is not offered in the AWS China regions.*-c mailer=smtp/);
  });

  it('defaults to SMTP in China and SES elsewhere, and takes what is asked', () => {
    expect(mailerFor('cn-north-1', undefined)).toBe('smtp');
    expect(mailerFor('eu-west-1', undefined)).toBe('ses');
    expect(mailerFor(undefined, undefined)).toBe('ses');
    expect(mailerFor(undefined, 'smtp')).toBe('smtp');
    expect(isChinaRegion('cn-northwest-1')).toBe(true);
    expect(isChinaRegion('${Token[AWS.Region.7]}')).toBe(false);
  });

  it('reads -c mailer', () => {
    expect(parseMailer(undefined)).toBeUndefined();
    expect(parseMailer('smtp')).toBe('smtp');
    expect(() => parseMailer('sendmail')).toThrow(/mailer "sendmail" must be one of ses, smtp/);
  });

  it('builds SMTP anywhere when asked (-c mailer=smtp), environment-agnostic', () => {
    const pipeline = synthPipelineWith({ mailer: 'smtp' });
    expect(JSON.stringify(pipeline.statelessTemplate.toJSON())).not.toMatch(/"ses:/);
    expect(pipeline.stateful.smtpSettings).toBeDefined();
  });
});
