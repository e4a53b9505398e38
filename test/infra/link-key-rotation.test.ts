import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LINK_KEY_LENGTH, LINK_KEY_ROTATION } from '../../infra/settings.ts';
import { LINK_KEY_ROTATION_ACTIONS } from '../../infra/constructs/review-link-key.ts';
import {
  actionsOf,
  CHINA_OPTIONS,
  loadWith,
  logicalId,
  onlyResource,
  roleStatements,
  type SynthesizedPipeline,
  synthPipelineWith,
} from './helpers.ts';

/**
 * The review-link key rotates itself: a rotation schedule every 90 days on the key's secret, with
 * our own rotation function beside it in the stateful stack (functions/rotate-link-key.ts),
 * allowed the four rotation actions on that secret only, and invocable by Secrets Manager for
 * that secret only. The default build and one bound to cn-north-1 (no Lambda X-Ray there).
 */

const builds: [string, SynthesizedPipeline][] = [
  ['default region', synthPipelineWith({})],
  ['cn-north-1', synthPipelineWith(CHINA_OPTIONS)],
];

describe.each(builds)('link key rotation, %s', (where, pipeline) => {
  const { stateful, statefulTemplate: template } = pipeline;
  const keyId = logicalId(stateful, stateful.linkKey);
  const fn = stateful.linkKeyRotation;
  const fnId = logicalId(stateful, fn);
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown>; DependsOn?: string[]; Metadata?: unknown }
  >;

  it('schedules a rotation every 90 days on the link key’s secret, with the rotation function', () => {
    expect(LINK_KEY_ROTATION.everyDays).toBe(90);
    const schedule = onlyResource(template, 'AWS::SecretsManager::RotationSchedule');
    expect(schedule.Properties).toEqual({
      SecretId: { Ref: keyId },
      RotationLambdaARN: { 'Fn::GetAtt': [fnId, 'Arn'] },
      RotationRules: { AutomaticallyAfterDays: 90 },
      RotateImmediatelyOnUpdate: false,
    });
  });

  it('is set up after the function, its grants and Secrets Manager’s permission to invoke it', () => {
    const [scheduleId] = Object.keys(template.findResources('AWS::SecretsManager::RotationSchedule'));
    const dependsOn = resources[scheduleId ?? '']?.DependsOn ?? [];
    const [permissionId] = Object.keys(template.findResources('AWS::Lambda::Permission'));
    expect(dependsOn).toEqual(expect.arrayContaining([fnId, permissionId]));
    // The function itself waits for its role's policy.
    expect(resources[fnId]?.DependsOn).toEqual(expect.arrayContaining([logicalId(stateful, fn.role as never)]));
  });

  it('lets the rotation function do exactly DescribeSecret, GetSecretValue, PutSecretValue and UpdateSecretVersionStage, on the link key only', () => {
    const statements = roleStatements(template, stateful, fn);
    const onKey = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify({ Ref: keyId }));
    expect(onKey).toHaveLength(1);
    expect(actionsOf(onKey).sort()).toEqual([...LINK_KEY_ROTATION_ACTIONS].sort());
    expect([...LINK_KEY_ROTATION_ACTIONS].sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    // Nothing else from Secrets Manager, anywhere: no GetRandomPassword (keys come from node:crypto).
    const secretsActions = actionsOf(statements).filter((action) => action.startsWith('secretsmanager:'));
    expect(secretsActions.sort()).toEqual([...LINK_KEY_ROTATION_ACTIONS].sort());
    // Its own log group, X-Ray where traced, and that: no other resource.
    const others = statements.filter((s) => !onKey.includes(s));
    const allowed = where === 'cn-north-1' ? [/^logs:/] : [/^logs:/, /^xray:/];
    expect(actionsOf(others).filter((action) => !allowed.some((pattern) => pattern.test(action)))).toEqual([]);
  });

  it('may be invoked by Secrets Manager, for the link key of this account only', () => {
    const permissions = template.findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] } },
    });
    expect(Object.values(permissions).map((p) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
        Principal: 'secretsmanager.amazonaws.com',
        SourceArn: { Ref: keyId },
        SourceAccount: where === 'cn-north-1' ? CHINA_OPTIONS.env.account : { Ref: 'AWS::AccountId' },
      },
    ]);
  });

  it('no other role in either stack may change the link key (put a value, move a stage)', () => {
    const writers = (t: typeof template) =>
      Object.entries(t.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).some((s) =>
          [s.Action]
            .flat()
            .some((a) => a === 'secretsmanager:PutSecretValue' || a === 'secretsmanager:UpdateSecretVersionStage'),
        ),
      );
    const policyOfFn = logicalId(stateful, fn.role as never);
    expect(writers(template).map(([, policy]) => policy.Properties.Roles)).toEqual([[{ Ref: policyOfFn }]]);
    expect(writers(pipeline.statelessTemplate)).toEqual([]);
  });

  it('is a PipelineFunction: Node.js 22 on arm64, its own log group, tracing where Lambda has X-Ray', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('functions/rotate-link-key\\.ts'),
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'rotateLinkKey' }) },
    });
    const tracing = resources[fnId]?.Properties.TracingConfig;
    if (where === 'cn-north-1') expect(tracing).toBeUndefined();
    else expect(tracing).toEqual({ Mode: 'Active' });
  });

  it('leaves the secret without a resource policy (no RotationSchedule construct’s root-delete deny)', () => {
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
  });

  it('rotates into the format the first key has: the generated secret is 64 letters and digits, each type present', () => {
    expect(LINK_KEY_LENGTH).toBe(64);
    expect(resources[keyId]?.Properties.GenerateSecretString).toEqual({
      PasswordLength: LINK_KEY_LENGTH,
      ExcludePunctuation: true,
      IncludeSpace: false,
      RequireEachIncludedType: true,
    });
  });

  it('has no cdk-nag suppression of SMG4 (rotation) on the link key', () => {
    const suppressed = JSON.stringify(resources[keyId]?.Metadata ?? {});
    expect(suppressed).not.toContain('AwsSolutions-SMG4');
  });

  it('keeps the stateful stack free of references to the stateless one', () => {
    expect(stateful.dependencies).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::GetStackOutput');
  });
});

describe('the rotation handler', () => {
  it('loads with exactly the environment its function gets', () => {
    const { stateful, statefulTemplate } = synthPipelineWith({});
    const variables = statefulTemplate.toJSON().Resources[logicalId(stateful, stateful.linkKeyRotation)].Properties
      .Environment.Variables as Record<string, string>;
    const output = loadWith(LINK_KEY_ROTATION.entry, variables);
    expect(output).toBe('loaded');
  });
});
