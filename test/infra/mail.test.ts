import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { ENV } from '../../shared/composition/env.ts';
import { WORKFLOW_TASKS, type WorkflowTaskKey } from '../../shared/ladder/tasks.ts';
import { METRIC, REVIEWER_LOOKUP_SERVICES } from '../../shared/platform/metrics.ts';
import { API_FUNCTIONS, type FunctionSpec, SCHEDULED_FUNCTIONS } from '../../shared/platform/functions.ts';
import { MAIL_ERRORS } from '../../shared/ports/core.ts';
import {
  actionsOf,
  CHINA_OPTIONS,
  logicalId,
  roleStatements,
  type SynthesizedPipeline,
  synthPipelineWith,
} from './helpers.ts';

/**
 * How each build sends email, function by function: in the China regions (cn-north-1,
 * cn-northwest-1) SMTP, with the SmtpSettings secret's ARN and GetSecretValue on that secret alone
 * for exactly the functions that mail, and no SES permission anywhere; elsewhere SES as before, and
 * no SMTP secret at all. The grants are explicit statements, so a runtime that enforces the
 * synthesized policies sees exactly these.
 */

/** Every function with its spec: the API and scheduled catalogs and the ladder's tasks. */
function functionsOf(pipeline: SynthesizedPipeline): [string, PipelineFunction, Pick<FunctionSpec, 'mail'>][] {
  const { stateless } = pipeline;
  return [
    ...Object.entries(API_FUNCTIONS).map(
      ([name, spec]) => [name, stateless.apiFunctions[name as keyof typeof API_FUNCTIONS], spec] as const,
    ),
    ...Object.entries(SCHEDULED_FUNCTIONS).map(
      ([name, spec]) => [name, stateless.scheduledFunctions[name as keyof typeof SCHEDULED_FUNCTIONS], spec] as const,
    ),
    ...Object.entries(WORKFLOW_TASKS).map(
      ([key, spec]) => [key, stateless.workflowFunctions[key as WorkflowTaskKey], spec] as const,
    ),
  ].map(([name, fn, spec]): [string, PipelineFunction, Pick<FunctionSpec, 'mail'>] => [
    name,
    fn,
    { mail: 'mail' in spec && spec.mail === true },
  ]);
}

const variables = (pipeline: SynthesizedPipeline, fn: PipelineFunction): Record<string, unknown> =>
  pipeline.statelessTemplate.toJSON().Resources[logicalId(pipeline.stateless, fn)].Properties.Environment.Variables;

describe.each(['cn-north-1', 'cn-northwest-1'])('bound to %s: SMTP', (region) => {
  const pipeline = synthPipelineWith({ ...CHINA_OPTIONS, env: { ...CHINA_OPTIONS.env, region } });
  const secret = pipeline.stateful.smtpSettings;
  if (!secret) throw new Error('no SmtpSettings secret in a China build');
  const functions = functionsOf(pipeline);
  // How the stateless stack reads the secret's ARN: a stack output of the stateful stack that is its Ref.
  const secretArn = variables(pipeline, pipeline.stateless.apiFunctions.reviews)[ENV.smtpSecretArn] as {
    'Fn::GetStackOutput': { OutputName: string };
  };

  it('reads the ARN from the stateful stack: an output that is the secret itself', () => {
    const outputs = pipeline.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs[secretArn['Fn::GetStackOutput'].OutputName]?.Value).toEqual({
      Ref: logicalId(pipeline.stateful, secret),
    });
  });

  it('gives every mailing function MAILER=smtp and the secret by its ARN; the others neither', () => {
    const mailing = functions.filter(([, , spec]) => spec.mail);
    expect(mailing.map(([name]) => name).sort()).toEqual(
      [
        'closeApplication',
        'markReturned',
        'recognize',
        'requestReview',
        'reviews',
        'startPublicNotice',
        'sweeper',
      ].sort(),
    );
    for (const [name, fn, spec] of functions) {
      const env = variables(pipeline, fn);
      if (spec.mail) {
        expect(env[ENV.mailer], name).toBe('smtp');
        expect(env[ENV.smtpSecretArn], name).toEqual(secretArn);
        expect(env[ENV.senderEmail], name).toBeDefined();
      } else {
        expect(env[ENV.mailer], name).toBeUndefined();
        expect(env[ENV.smtpSecretArn], name).toBeUndefined();
      }
    }
  });

  it('grants secretsmanager:GetSecretValue on that secret alone, to the mailing functions alone, and no SES', () => {
    for (const [name, fn, spec] of functions) {
      const statements = roleStatements(pipeline.statelessTemplate, pipeline.stateless, fn);
      const onSecret = statements.filter((s) =>
        [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(secretArn)),
      );
      if (spec.mail) {
        // One statement per action (minimizePolicies): a function that also mints review links
        // reads the link key in the same statement, and nothing else does.
        const linkKey = variables(pipeline, fn)[ENV.linkKeySecretArn];
        const resources = linkKey === undefined ? secretArn : [linkKey, secretArn];
        expect(onSecret, name).toEqual([
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resources },
        ]);
      } else {
        expect(onSecret, name).toEqual([]);
      }
      expect(
        actionsOf(statements).filter((action) => action.startsWith('ses:')),
        name,
      ).toEqual([]);
    }
  });

  it('keeps the secret in the stateful stack, with its output, and no SES resource or grant anywhere', () => {
    pipeline.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('SMTP'),
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
    });
    pipeline.statefulTemplate.hasOutput('SmtpSettingsSecretArn', {
      Value: { Ref: logicalId(pipeline.stateful, secret) },
    });
    const text = JSON.stringify([pipeline.statefulTemplate.toJSON(), pipeline.statelessTemplate.toJSON()]);
    expect(text).not.toMatch(/"ses:|AWS::SES::/);
  });
});

describe('elsewhere: SES as before', () => {
  const pipeline = synthPipelineWith({});

  it('has no SMTP secret, and no function reads one', () => {
    expect(pipeline.stateful.smtpSettings).toBeUndefined();
    pipeline.statefulTemplate.resourcePropertiesCountIs(
      'AWS::SecretsManager::Secret',
      { Description: Match.stringLikeRegexp('SMTP') },
      0,
    );
    for (const [name, fn] of functionsOf(pipeline)) {
      const env = variables(pipeline, fn);
      expect(env[ENV.smtpSecretArn], name).toBeUndefined();
      expect(env[ENV.mailer], name).toBeUndefined();
    }
  });

  it('lets exactly the mailing functions send through SES, from the sender address only', () => {
    for (const [name, fn, spec] of functionsOf(pipeline)) {
      const statements = roleStatements(pipeline.statelessTemplate, pipeline.stateless, fn).filter((s) =>
        [s.Action].flat().some((a) => String(a).startsWith('ses:')),
      );
      if (!spec.mail) {
        expect(statements, name).toEqual([]);
        continue;
      }
      expect(statements, name).toHaveLength(1);
      expect(statements[0], name).toMatchObject({
        Action: 'ses:SendEmail',
        Condition: { StringEquals: { 'ses:FromAddress': variables(pipeline, fn)[ENV.senderEmail] } },
      });
    }
  });
});

describe('the alarm on reviews with no registered reviewer, and the refused mail step', () => {
  const pipeline = synthPipelineWith(CHINA_OPTIONS);

  it('alarms on ReviewersMissing summed over the functions that look reviewers up, at the first one', () => {
    const alarms = pipeline.statelessTemplate.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmName: Match.stringLikeRegexp('-reviewers-missing$') },
    });
    const [alarm] = Object.values(alarms) as { Properties: Record<string, unknown> }[];
    expect(Object.keys(alarms)).toHaveLength(1);
    expect(alarm?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm?.Properties.AlarmDescription).toContain('未登记审核人员');
    const metrics = alarm?.Properties.Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] } };
    }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('SUM([m0, m1, m2])');
    expect(
      metrics
        .flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))
        .map((m) => [m.MetricName, m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join()]),
    ).toEqual(REVIEWER_LOOKUP_SERVICES.map((service) => [METRIC.reviewersMissing, `service=${service}`]));
  });

  it('does not retry a refused mail step: the execution fails there, to be redriven after the fix', () => {
    const machine = Object.values(pipeline.statelessTemplate.findResources('AWS::StepFunctions::StateMachine'))[0] as {
      Properties: { DefinitionString: unknown };
    };
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    // Each task's first retrier lists the errors never retried; Mail.Refused is one of them.
    expect(definition).toContain(`\\"${MAIL_ERRORS.refused}\\"`);
    const retriers = [...definition.matchAll(/\\"ErrorEquals\\":\[([^\]]*)\],\\"MaxAttempts\\":0/g)].map((m) => m[1]);
    expect(retriers.length).toBeGreaterThan(5);
    for (const errors of retriers) expect(errors).toContain(MAIL_ERRORS.refused);
  });
});
