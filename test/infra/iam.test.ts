import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { ENV } from '../../shared/composition/env.ts';
import { API_FUNCTIONS, SCHEDULED_FUNCTIONS } from '../../shared/platform/functions.ts';
import { WORKFLOW_TASKS } from '../../shared/ladder/tasks.ts';
import {
  actionsOf,
  CHINA_OPTIONS,
  logicalId,
  type PolicyStatementJson,
  roleStatements,
  type SynthesizedPipeline,
  statementsWith,
  synthPipelineWith,
} from './helpers.ts';

/**
 * Least privilege, checked on every policy of both templates, in the default build and bound to
 * cn-north-1 (where email goes by SMTP): no wildcard action on data, `*` resources only where the
 * service takes no resource-level permission, the link key readable by exactly the functions
 * that mint or verify review links, and no SES permission where there is no SES.
 */

const builds: [string, SynthesizedPipeline][] = [
  ['default region', synthPipelineWith({})],
  ['cn-north-1', synthPipelineWith(CHINA_OPTIONS)],
];

interface FoundStatement extends PolicyStatementJson {
  Principal?: unknown;
  /** Resource type and logical id of the policy that holds it. */
  where: string;
}

/** Every statement of every policy in a template: IAM policies and roles, and resource policies. */
function allStatements(template: Template): FoundStatement[] {
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  const documents: [string, unknown][] = [];
  for (const [id, { Type, Properties = {} }] of Object.entries(resources)) {
    const where = `${Type} ${id}`;
    if (Type === 'AWS::IAM::Policy' || Type === 'AWS::IAM::ManagedPolicy')
      documents.push([where, Properties.PolicyDocument]);
    if (Type === 'AWS::IAM::Role') {
      documents.push([`${where} (trust)`, Properties.AssumeRolePolicyDocument]);
      for (const policy of (Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
        documents.push([where, policy.PolicyDocument]);
      }
    }
    if (Type === 'AWS::KMS::Key') documents.push([where, Properties.KeyPolicy]);
    if (['AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy'].includes(Type)) {
      documents.push([where, Properties.PolicyDocument]);
    }
    if (Type === 'AWS::SecretsManager::ResourcePolicy') documents.push([where, Properties.ResourcePolicy]);
  }
  return documents.flatMap(([where, document]) =>
    ((document as { Statement?: PolicyStatementJson[] } | undefined)?.Statement ?? []).map((s) => ({ ...s, where })),
  );
}

/** Whether a statement's resources include `reference` (a JSON text): merged statements list several. */
const covers = (statement: PolicyStatementJson, reference: string) =>
  [statement.Resource].flat().some((resource) => JSON.stringify(resource) === reference);

const actions = (statement: PolicyStatementJson) =>
  [statement.Action].flat().filter((a): a is string => typeof a === 'string');

/**
 * Wildcard actions that are allowed, each with why. Everything else with a `*` in an Allow fails:
 * no `dynamodb:*`, `s3:*`, `secretsmanager:*`, nor a `Get*` on data.
 */
const WILDCARD_ACTIONS: Record<string, { where: RegExp; reason: string }> = {
  'kms:*': {
    where: /^AWS::KMS::Key /,
    reason: 'the key policy’s standard first statement: the account root, so that IAM policies govern the key',
  },
  'kms:GenerateDataKey*': {
    where: /^AWS::KMS::Key /,
    reason: 'CloudWatch alarms publishing to the encrypted alarm topic (GenerateDataKey and its WithoutPlaintext form)',
  },
};

/** Actions granted on `*`, because the service has no resource-level permission for them. */
const ON_ANY_RESOURCE = [
  /^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)$/,
  // Step Functions' execution logging (vended log delivery).
  /^logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$/,
  // CDK's bucket-notifications custom resource (deploy time only).
  /^s3:PutBucketNotification$/,
];

describe.each(builds)('IAM, %s', (_where, pipeline) => {
  const stacks: [Stack, Template][] = [
    [pipeline.stateful, pipeline.statefulTemplate],
    [pipeline.stateless, pipeline.statelessTemplate],
  ];
  const statements = stacks.flatMap(([, template]) => allStatements(template));
  const allows = statements.filter((s) => s.Effect === 'Allow');

  it('finds the policies (sanity)', () => {
    expect(allows.length).toBeGreaterThan(40);
  });

  it('allows no wildcard action, but the listed ones where they are listed', () => {
    const offending = allows.flatMap((s) =>
      actions(s)
        .filter((action) => action.includes('*'))
        .filter((action) => !WILDCARD_ACTIONS[action]?.where.test(s.where))
        .map((action) => `${action} in ${s.where}`),
    );
    expect(offending).toEqual([]);
  });

  it('has no statement on data services with a service-wide action (dynamodb:*, s3:*, secretsmanager:*, …)', () => {
    const serviceWide = allows.flatMap(actions).filter((action) => action === '*' || /^[a-z0-9-]+:\*$/.test(action));
    expect(serviceWide.filter((action) => action !== 'kms:*')).toEqual([]);
  });

  it('grants on "*" only what takes no resource-level permission', () => {
    const onAny = allows
      .filter((s) => [s.Resource].flat().includes('*') && s.Principal === undefined)
      .flatMap((s) => actions(s).map((action) => `${action} in ${s.where}`))
      .filter((text) => !ON_ANY_RESOURCE.some((pattern) => pattern.test(text.split(' ')[0] ?? '')));
    expect(onAny).toEqual([]);
  });

  it('lets each function write its own log group and no other', () => {
    const { stateless, statelessTemplate } = pipeline;
    const functions = [
      ...Object.values(stateless.apiFunctions),
      ...Object.values(stateless.eventFunctions),
      ...Object.values(stateless.scheduledFunctions),
      ...Object.values(stateless.workflowFunctions),
    ];
    for (const fn of functions) {
      const own = roleStatements(statelessTemplate, stateless, fn);
      const logs = own.filter((s) => actions(s).some((a) => a.startsWith('logs:')));
      const logGroupId = statelessTemplate.toJSON().Resources[logicalId(stateless, fn)].Properties.LoggingConfig
        .LogGroup.Ref as string;
      expect(logs.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]);
      expect(actionsOf(logs).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      // No AWS managed policy (AWSLambdaBasicExecutionRole covers every log group).
      expect(
        statelessTemplate.toJSON().Resources[logicalId(stateless, fn.role as never)].Properties.ManagedPolicyArns,
      ).toBeUndefined();
    }
  });
});

/**
 * How the stateless template refers to a secret of the stateful stack: a stack output (read with
 * Fn::GetStackOutput) whose value is the secret's Ref, i.e. its ARN.
 */
function referenceTo(pipeline: SynthesizedPipeline, secret: { node: { defaultChild?: unknown } }): string {
  const secretId = logicalId(pipeline.stateful, secret);
  const outputs = pipeline.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
  const reference = JSON.stringify(
    Object.values(pipeline.statelessTemplate.toJSON().Resources as Record<string, { Properties?: unknown }>),
  ).match(/\{"Fn::GetStackOutput":\{[^{}]*(?:\{[^{}]*\})?[^{}]*"OutputName":"([^"]+)"\}\}/g);
  const found = (reference ?? []).find((text) => {
    const name = /"OutputName":"([^"]+)"/.exec(text)?.[1] ?? '';
    return JSON.stringify(outputs[name]?.Value) === JSON.stringify({ Ref: secretId });
  });
  if (!found) throw new Error(`the stateless stack does not refer to ${secretId}`);
  return found;
}

describe.each(builds)('the review-link key, %s', (_where, pipeline) => {
  const { stateful, stateless, statelessTemplate } = pipeline;
  const keyArn = referenceTo(pipeline, stateful.linkKey);
  const functions: [string, PipelineFunction][] = [
    ...Object.entries(stateless.apiFunctions),
    ...Object.entries(stateless.eventFunctions),
    ...Object.entries(stateless.scheduledFunctions),
    ...Object.entries(stateless.workflowFunctions),
  ];
  const variables = (fn: PipelineFunction) =>
    (statelessTemplate.toJSON().Resources[logicalId(stateless, fn)].Properties.Environment?.Variables ?? {}) as Record<
      string,
      unknown
    >;
  const readsKey = (fn: PipelineFunction) =>
    statementsWith(roleStatements(statelessTemplate, stateless, fn), 'secretsmanager:GetSecretValue').some((s) =>
      covers(s, keyArn),
    );

  it('is readable by exactly the functions that mint or verify review links', () => {
    const readers = functions.filter(([, fn]) => readsKey(fn)).map(([name]) => name);
    expect(readers.sort()).toEqual(['requestReview', 'reviews', 'sweeper']);
    // They are the functions whose specs write links into emails.
    expect(API_FUNCTIONS.reviews.links && SCHEDULED_FUNCTIONS.sweeper.links && WORKFLOW_TASKS.requestReview.links).toBe(
      true,
    );
  });

  it('reaches them as an ARN in LINK_KEY_SECRET_ARN, never as a value', () => {
    for (const [, fn] of functions) {
      const value = variables(fn)[ENV.linkKeySecretArn];
      if (readsKey(fn)) expect(JSON.stringify(value)).toBe(keyArn);
      else expect(value).toBeUndefined();
    }
    // No value anywhere: no dynamic reference to resolve, no SecretString in any resource.
    const text = JSON.stringify([pipeline.statefulTemplate.toJSON(), statelessTemplate.toJSON()]);
    expect(text).not.toMatch(/resolve:secretsmanager|"SecretString"/);
  });

  it('may be read, not changed: GetSecretValue only (the handlers never describe it)', () => {
    const onKey = functions.flatMap(([, fn]) =>
      roleStatements(statelessTemplate, stateless, fn).filter((s) => covers(s, keyArn)),
    );
    expect([...new Set(actionsOf(onKey))].sort()).toEqual(['secretsmanager:GetSecretValue']);
  });
});

describe('email permissions', () => {
  const sesActions = (pipeline: SynthesizedPipeline) =>
    allStatements(pipeline.statelessTemplate)
      .flatMap(actions)
      .filter((action) => action.startsWith('ses:'));

  it('with SES (the default), mailing functions may send from the sender identity only', () => {
    expect([...new Set(sesActions(synthPipelineWith({})))]).toEqual(['ses:SendEmail']);
  });

  it.each([
    ['bound to cn-north-1 (smtp by default)', CHINA_OPTIONS],
    ['with -c mailer=smtp anywhere', { mailer: 'smtp' as const }],
  ])('%s, no function has any SES permission', (_name, options) => {
    expect(sesActions(synthPipelineWith(options))).toEqual([]);
  });

  it('with SMTP, mailing functions get MAILER=smtp and read the SMTP secret by its ARN', () => {
    const pipeline = synthPipelineWith(CHINA_OPTIONS);
    const { stateful, stateless, statelessTemplate } = pipeline;
    if (!stateful.smtpSettings) throw new Error('no SMTP secret in the smtp build');
    const smtpArn = referenceTo(pipeline, stateful.smtpSettings);
    const mailing = [
      stateless.apiFunctions.reviews,
      stateless.scheduledFunctions.sweeper,
      stateless.workflowFunctions.recognize,
    ];
    for (const fn of mailing) {
      const env = statelessTemplate.toJSON().Resources[logicalId(stateless, fn)].Properties.Environment.Variables;
      expect(env[ENV.mailer]).toBe('smtp');
      expect(JSON.stringify(env[ENV.smtpSecretArn])).toBe(smtpArn);
      expect(
        statementsWith(roleStatements(statelessTemplate, stateless, fn), 'secretsmanager:GetSecretValue').some((s) =>
          covers(s, smtpArn),
        ),
      ).toBe(true);
    }
    const silent = stateless.apiFunctions.campaigns;
    expect(
      statelessTemplate.toJSON().Resources[logicalId(stateless, silent)].Properties.Environment.Variables[ENV.mailer],
    ).toBeUndefined();
  });
});
