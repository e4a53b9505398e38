import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { applySecurityChecks } from '../../infra/nag.ts';
import { accessOf, ROUTES, routeKey } from '../../shared/platform/http/routes.ts';
import { CHINA_OPTIONS, type SynthesizedPipeline, synthPipelineWith } from './helpers.ts';

/**
 * The security baseline: cdk-nag's AWS Solutions and Serverless packs over both stacks, in the
 * default (environment-agnostic) build and bound to cn-north-1. Every finding fails, errors and
 * warnings alike; what does not apply is suppressed where the resource is made (infra/nag.ts),
 * and every suppression must say why.
 */

// Error annotations stay out of the validation report, so findings are listed here instead of
// failing the synth with a report.
const NAG_CONTEXT = { '@aws-cdk/core:annotationsInValidationReport': false };
const withChecks = (pipeline: { stateful: Stack; stateless: Stack }) => {
  for (const stack of [pipeline.stateful, pipeline.stateless])
    applySecurityChecks(stack, { verbose: true, reports: false });
};

const builds: [string, SynthesizedPipeline][] = [
  ['default region', synthPipelineWith({}, NAG_CONTEXT, withChecks)],
  ['cn-north-1', synthPipelineWith(CHINA_OPTIONS, NAG_CONTEXT, withChecks)],
];

const stacksOf = (pipeline: SynthesizedPipeline): [string, Stack, Template][] => [
  ['stateful', pipeline.stateful, pipeline.statefulTemplate],
  ['stateless', pipeline.stateless, pipeline.statelessTemplate],
];

const cases = builds.flatMap(([where, pipeline]) =>
  stacksOf(pipeline).map(([kind, stack, template]) => [`${kind} stack, ${where}`, stack, template] as const),
);

describe.each(cases)('cdk-nag: %s', (_name, stack) => {
  const annotations = Annotations.fromStack(stack);
  const listed = (found: ReturnType<typeof annotations.findError>) =>
    found.map((finding) => {
      const data: unknown = finding.entry.data;
      return `${finding.id}: ${(typeof data === 'string' ? data : JSON.stringify(data)).split('\n')[0]}`;
    });

  it.each(['AwsSolutions', 'Serverless'])('has no unsuppressed %s error', (pack) => {
    expect(listed(annotations.findError('*', Match.stringLikeRegexp(`${pack}-.*`)))).toEqual([]);
  });

  it.each(['AwsSolutions', 'Serverless'])('has no unsuppressed %s warning (warnings count as errors)', (pack) => {
    expect(listed(annotations.findWarning('*', Match.stringLikeRegexp(`${pack}-.*`)))).toEqual([]);
  });
});

interface Suppressed {
  resource: string;
  id: string;
  reason: string;
  appliesTo?: unknown[];
}

/** Every suppression in a template: resource metadata `cdk_nag.rules_to_suppress`. */
function suppressionsOf(template: Template): Suppressed[] {
  const resources = template.toJSON().Resources as Record<
    string,
    { Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string; applies_to?: unknown[] }[] } } }
  >;
  return Object.entries(resources).flatMap(([resource, { Metadata }]) =>
    (Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => ({
      resource,
      id: rule.id,
      reason: rule.reason,
      ...(rule.applies_to && { appliesTo: rule.applies_to }),
    })),
  );
}

/** The rules this project suppresses anywhere; a new one must be added here on purpose. */
const SUPPRESSIBLE = new Set([
  'AwsSolutions-APIG4', // the link, session and public routes only: their handlers check the credential
  'AwsSolutions-IAM4', // CDK's bucket-notifications custom resource only
  'AwsSolutions-IAM5', // GSI ARNs, key prefixes, versions of named functions, X-Ray, executions
  'AwsSolutions-L1', // Node.js 22 pinned
  'Serverless-LambdaLatestVersion', // the same
  'Serverless-LambdaDLQ', // synchronous invocations, or on-failure destinations
  'AwsSolutions-SQS3', // the failure queues are themselves the dead-letter stores
  'Serverless-SQSRedrivePolicy', // the same
  'AwsSolutions-SMG4', // the SMTP credentials only (rotated by the mail provider); the link key rotates itself
  'Serverless-LambdaTracing', // no Lambda X-Ray in the China regions
]);

describe.each(builds)('suppressions, %s', (_where, pipeline) => {
  const all = [...suppressionsOf(pipeline.statefulTemplate), ...suppressionsOf(pipeline.statelessTemplate)];

  it('lists every suppression, and each gives a specific reason of at least 20 characters', () => {
    expect(all.length).toBeGreaterThan(0);
    const weak = all.filter((s) => typeof s.reason !== 'string' || s.reason.trim().length < 20);
    expect(weak).toEqual([]);
  });

  it('suppresses only the rules known to this project', () => {
    expect([...new Set(all.map((s) => s.id))].filter((id) => !SUPPRESSIBLE.has(id))).toEqual([]);
  });

  it('suppresses IAM findings finding by finding (appliesTo), never a whole rule', () => {
    const blanket = all.filter((s) => (s.id === 'AwsSolutions-IAM5' || s.id === 'AwsSolutions-IAM4') && !s.appliesTo);
    expect(blanket).toEqual([]);
  });

  it('suppresses the managed-policy rule (IAM4) only on CDK’s bucket-notifications handler', () => {
    const iam4 = all.filter((s) => s.id === 'AwsSolutions-IAM4').map((s) => s.resource);
    expect(iam4.length).toBeGreaterThan(0);
    expect(iam4.every((resource) => resource.startsWith('BucketNotificationsHandler'))).toBe(true);
  });

  it('suppresses the rotation rule (SMG4) only on the SMTP secret, never on the review-link key', () => {
    const linkKey = pipeline.stateful.getLogicalId(pipeline.stateful.linkKey.node.defaultChild as CfnElement);
    const smtp = pipeline.stateful.smtpSettings?.node.defaultChild as CfnElement | undefined;
    const smg4 = all.filter((s) => s.id === 'AwsSolutions-SMG4').map((s) => s.resource);
    expect(smg4).not.toContain(linkKey);
    expect(smg4).toEqual(smtp ? [pipeline.stateful.getLogicalId(smtp)] : []);
  });

  it('suppresses the missing authorizer (APIG4) on exactly the routes without one, never on the API', () => {
    const routes = pipeline.statelessTemplate.findResources('AWS::ApiGatewayV2::Route');
    const suppressedKeys = all
      .filter((s) => s.id === 'AwsSolutions-APIG4')
      .map((s) => routes[s.resource]?.Properties.RouteKey ?? s.resource);
    const withoutAuthorizer = ROUTES.filter((route) => accessOf(route) !== 'token').map(routeKey);
    expect(suppressedKeys.sort()).toEqual(withoutAuthorizer.sort());
  });
});
