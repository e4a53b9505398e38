import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { describe, expect, it } from 'vitest';
import { MAX_METRICS_PER_ALARM } from '../../infra/constructs/operations-alarms.ts';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { definePipeline } from '../../infra/pipeline.ts';
import { StatefulStack } from '../../infra/stacks/stateful-stack.ts';
import { StatelessStack } from '../../infra/stacks/stateless-stack.ts';
import { ENV } from '../../shared/composition/env.ts';
import { SCHEDULED_FUNCTIONS } from '../../shared/platform/functions.ts';
import { METRIC_STAGES, METRICS_NAMESPACE } from '../../shared/platform/metrics.ts';
import {
  actionsOf,
  logicalId,
  onlyResource,
  roleStatements,
  statementsWith,
  synthPipeline,
  TEST_ORIGINS,
  testApp,
} from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, inspected by the tests
type CfnJson = any;

const { stateless, statelessTemplate: template } = synthPipeline();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, CfnJson> }>;
const idOf = (construct: Parameters<typeof logicalId>[1]) => logicalId(stateless, construct);
const stateMachineId = idOf(stateless.reviewLadder.stateMachine);
const sweeper = stateless.scheduledFunctions.sweeper;
const sweeperId = idOf(sweeper);
const sweeperFailuresId = idOf(stateless.scheduleFailures.sweeper);
const validatorFailuresId = idOf(stateless.validatorFailures);
const topicId = idOf(stateless.alarms.topic);
const statementsOf = (fn: PipelineFunction) => roleStatements(template, stateless, fn);
const variablesOf = (fn: PipelineFunction) => resources[idOf(fn)]?.Properties.Environment.Variables ?? {};

/** Every function of the stack, by name. */
const allFunctions: [string, PipelineFunction][] = [
  ...Object.entries(stateless.apiFunctions),
  ...Object.entries(stateless.eventFunctions),
  ...Object.entries(stateless.scheduledFunctions),
  ...Object.entries(stateless.workflowFunctions),
];

describe('the sweeper schedule (EventBridge Scheduler)', () => {
  const everyMinutes = SCHEDULED_FUNCTIONS.sweeper.everyMinutes;

  it('runs the sweeper at its rate, with a retry policy and a dead-letter queue', () => {
    expect(everyMinutes).toBe(60);
    const expression = ScheduleExpression.rate(Duration.minutes(everyMinutes)).expressionString;
    // CDK writes 60 minutes as one hour.
    expect(expression).toBe('rate(1 hour)');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: expression,
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [sweeperId, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [sweeperFailuresId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: everyMinutes * 60 },
        // An EventBridge Scheduled Event, as local/schedules.ts sends it.
        Input: Match.anyValue(),
      },
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', Object.keys(SCHEDULED_FUNCTIONS).length);
  });

  it('sends the sweeper a Scheduled Event with the run’s time, id and schedule', () => {
    const input = onlyResource(template, 'AWS::Scheduler::Schedule').Properties.Target.Input;
    // {"Fn::Join": ["", [json text, {Ref: AWS::AccountId}, json text, {Ref: AWS::Region}, json text]]}
    const [, parts] = input['Fn::Join'] as [string, unknown[]];
    const text = parts.map((part) => (typeof part === 'string' ? part : `{${(part as { Ref: string }).Ref}}`)).join('');
    expect(JSON.parse(text)).toEqual({
      version: '0',
      id: '<aws.scheduler.execution-id>',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '{AWS::AccountId}',
      time: '<aws.scheduler.scheduled-time>',
      region: '{AWS::Region}',
      resources: ['<aws.scheduler.schedule-arn>'],
      detail: {},
    });
  });

  it('lets the scheduler role invoke the sweeper and dead-letter to its queue, nothing else', () => {
    const schedule = onlyResource(template, 'AWS::Scheduler::Schedule');
    const roleId: string = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
    expect(resources[roleId]?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([':schedule-group/default'])] },
          },
        },
      }),
    ]);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(JSON.stringify(statements.find((s) => s.Action === 'lambda:InvokeFunction')?.Resource)).toContain(sweeperId);
    expect(statements.find((s) => s.Action === 'sqs:SendMessage')?.Resource).toEqual({
      'Fn::GetAtt': [sweeperFailuresId, 'Arn'],
    });
  });

  it('sends a run that throws, after one retry, to the same queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: sweeperId },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: everyMinutes * 60,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [sweeperFailuresId, 'Arn'] } } },
    });
  });

  it('keeps the dead-letter queue encrypted, TLS-only, for 14 days', () => {
    expect(resources[sweeperFailuresId]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: sweeperFailuresId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('gives the sweeper minutes to run, its service name, mail and links', () => {
    expect(resources[sweeperId]?.Properties).toMatchObject({ Timeout: 300 });
    expect(variablesOf(sweeper)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'sweeper',
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      [ENV.senderEmail]: 'no-reply@clusters.example.gov.cn',
      [ENV.publicBaseUrl]: { 'Fn::GetAtt': [idOf(stateless.api), 'ApiEndpoint'] },
      [ENV.tableName]: expect.anything(),
    });
    expect(actionsOf(statementsOf(sweeper)).filter((a) => a.startsWith('states:'))).toEqual([]);
  });
});

describe('the ops function', () => {
  const ops = stateless.apiFunctions.ops;

  it('lists, describes and redrives executions of the review ladder, and nothing else in Step Functions', () => {
    const statements = statementsOf(ops);
    expect(
      actionsOf(statements)
        .filter((a) => a.startsWith('states:'))
        .sort(),
    ).toEqual(['states:DescribeExecution', 'states:ListExecutions', 'states:RedriveExecution']);
    expect(statementsWith(statements, 'states:ListExecutions').map((s) => s.Resource)).toEqual([
      { Ref: stateMachineId },
    ]);
    // arn:<partition>:states:<region>:<account>:execution:<this state machine's name>:*
    const executions = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':states:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':execution:',
          { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: stateMachineId }] }] },
          ':*',
        ],
      ],
    };
    for (const action of ['states:DescribeExecution', 'states:RedriveExecution']) {
      expect(statementsWith(statements, action).map((s) => s.Resource)).toEqual([executions]);
    }
  });

  it('has no wildcard action and no Step Functions grant on "*"', () => {
    const statements = statementsOf(ops);
    expect(actionsOf(statements).filter((a) => a.includes('*'))).toEqual([]);
    const states = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')));
    expect(states.map((s) => s.Resource)).not.toContainEqual('*');
  });

  it('reads the table, touches neither S3 nor SES, and gets the state machine ARN', () => {
    const actions = actionsOf(statementsOf(ops));
    expect(actions).toContain('dynamodb:Query');
    // Its one item write: a redrive's audit event, in the application's partition only.
    for (const statement of statementsOf(ops).filter((s) => actionsOf([s]).includes('dynamodb:PutItem'))) {
      expect(statement.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*'] } });
    }
    expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('ses:'))).toEqual([]);
    expect(variablesOf(ops)[ENV.stateMachineArn]).toEqual({ Ref: stateMachineId });
  });

  it('the exports function only reads the table', () => {
    const exportsFn = stateless.apiFunctions.exports;
    // Besides X-Ray and writing its own log group (test/infra/iam.test.ts checks where).
    const actions = actionsOf(statementsOf(exportsFn)).filter((a) => !a.startsWith('xray:') && !a.startsWith('logs:'));
    expect(actions.every((a) => a.startsWith('dynamodb:'))).toBe(true);
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(ENV.stateMachineArn in variablesOf(exportsFn)).toBe(false);
  });
});

// ---- The dashboard: its body is an Fn::Join of JSON text and tokens; tokens become `{Ref:Id}`.

interface Widget {
  type: string;
  properties: {
    title?: string;
    alarms?: string[];
    metrics?: (string | Record<string, unknown>)[][];
  };
}

const dashboard = (() => {
  const resource = onlyResource(template, 'AWS::CloudWatch::Dashboard');
  const [, parts] = resource.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (token.Ref) return `{Ref:${token.Ref}}`;
      if (token['Fn::GetAtt']) return `{GetAtt:${token['Fn::GetAtt'].join('.')}}`;
      return '{token}';
    })
    .join('');
  return { name: resource.Properties.DashboardName, body: JSON.parse(text) as { widgets: Widget[] } };
})();

/** Each metric line of each graph: namespace, name, dimensions, options; or a math expression. */
const lines = dashboard.body.widgets.flatMap((widget) =>
  (widget.properties.metrics ?? []).map((line) => {
    const options = (typeof line.at(-1) === 'object' ? line.at(-1) : {}) as Record<string, unknown>;
    const names = line.filter((item): item is string => typeof item === 'string');
    const [namespace, metricName, ...pairs] = names;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
    return { title: widget.properties.title ?? '', namespace, metricName, dimensions, options };
  }),
);
const metricLines = (namespace: string, metricName: string) =>
  lines.filter((line) => line.namespace === namespace && line.metricName === metricName);
const expressions = lines.map((line) => line.options.expression).filter((e): e is string => typeof e === 'string');

describe('the operations dashboard', () => {
  it('is named after the stack', () => {
    expect(dashboard.name).toBe('ClusterPipeline-test-Stateless-Operations');
  });

  it.each(['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])(
    'graphs the ladder’s %s',
    (metricName) => {
      expect(metricLines('AWS/States', metricName).map((line) => line.dimensions)).toEqual([
        { StateMachineArn: `{Ref:${stateMachineId}}` },
      ]);
    },
  );

  it.each(['PendingApplications', 'OverdueApplications'])(
    'graphs %s for every stage, from the sweeper',
    (metricName) => {
      expect(metricLines(METRICS_NAMESPACE, metricName).map((line) => line.dimensions)).toEqual(
        METRIC_STAGES.map((stage) => ({ service: 'sweeper', Stage: stage })),
      );
      for (const line of metricLines(METRICS_NAMESPACE, metricName)) {
        expect(line.options).toMatchObject({ stat: 'Maximum', period: 3600 });
      }
    },
  );

  it('graphs reviews due within 24 hours and failed evidence checks', () => {
    expect(metricLines(METRICS_NAMESPACE, 'ReviewsDueWithin24h').map((l) => l.dimensions)).toEqual([
      { service: 'sweeper' },
    ]);
    expect(metricLines(METRICS_NAMESPACE, 'EvidenceCheckFailed').map((l) => l.dimensions)).toEqual([
      { service: 'validator' },
    ]);
  });

  it.each(['RemindersSent', 'EscalationsSent', 'ReminderFailures'])('graphs the sweeper’s %s per run', (metricName) => {
    expect(metricLines(METRICS_NAMESPACE, metricName).map((l) => [l.dimensions, l.options.stat])).toEqual([
      [{ service: 'sweeper' }, 'Sum'],
    ]);
  });

  it('graphs validator outcomes by reason and emails by function with searches', () => {
    expect(expressions).toContainEqual(
      expect.stringMatching(
        /^SEARCH\('\{"ClusterRecommendation",service,Outcome,Reason\} MetricName="EvidenceChecked" service="validator"', 'Sum', \d+\)$/,
      ),
    );
    expect(expressions).toContainEqual(
      expect.stringMatching(/^SEARCH\('\{"ClusterRecommendation",service\} MetricName="EmailsSent"', 'Sum', \d+\)$/),
    );
  });

  it.each([
    ['Errors', 'Sum'],
    ['Throttles', 'Sum'],
    ['Duration', 'p95'],
  ])('graphs Lambda %s (%s) of every function, labelled by its service name', (metricName, stat) => {
    const graphed = metricLines('AWS/Lambda', metricName);
    expect(graphed.map((line) => [line.dimensions.FunctionName, line.options.label]).sort()).toEqual(
      allFunctions.map(([, fn]) => [`{Ref:${idOf(fn)}}`, variablesOf(fn).POWERTOOLS_SERVICE_NAME]).sort(),
    );
    for (const line of graphed) expect(line.options.stat).toBe(stat);
  });

  it('graphs the depth of both dead-letter queues', () => {
    expect(
      metricLines('AWS/SQS', 'ApproximateNumberOfMessagesVisible').map((line) => line.dimensions.QueueName),
    ).toEqual([`{GetAtt:${validatorFailuresId}.QueueName}`, `{GetAtt:${sweeperFailuresId}.QueueName}`]);
  });

  it('graphs SES sends and bounces', () => {
    expect(metricLines('AWS/SES', 'Send')).toHaveLength(1);
    expect(metricLines('AWS/SES', 'Bounce')).toHaveLength(1);
  });

  it('shows the status of every alarm at the top', () => {
    const alarmWidget = dashboard.body.widgets.find((widget) => widget.type === 'alarm');
    expect(alarmWidget?.properties.alarms).toHaveLength(Object.keys(stateless.alarms.alarms).length);
    expect(dashboard.body.widgets.findIndex((widget) => widget.type === 'alarm')).toBeLessThan(2);
  });
});

// ---- Alarms.

type AlarmProps = Record<string, CfnJson>;
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (alarm) => alarm.Properties as AlarmProps,
);
const alarmNamed = (name: string): AlarmProps => {
  const found = alarms.find((alarm) => alarm.AlarmName === `ClusterPipeline-test-Stateless-${name}`);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
};
const atLeastOnce = { Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 };

describe('alarms', () => {
  it.each(alarms.map((alarm) => [alarm.AlarmName as string, alarm] as const))(
    '%s notifies the topic on alarm and recovery, ignores missing data, and says what to do in English and Chinese',
    (_name, alarm) => {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      const [en, zh] = String(alarm.AlarmDescription).split('\n');
      expect(en).toMatch(/^[\x20-\x7e]+$/);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(String(alarm.AlarmDescription).length).toBeLessThanOrEqual(1024);
    },
  );

  it('ladder executions failed: at least one in 5 minutes', () => {
    expect(alarmNamed('ladder-executions-failed')).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
      Statistic: 'Sum',
      Period: 300,
      ...atLeastOnce,
    });
    expect(alarmNamed('ladder-executions-failed').AlarmDescription).toMatch(/Redrive/);
  });

  it('ladder executions timed out: at least one in 5 minutes', () => {
    expect(alarmNamed('ladder-executions-timed-out')).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsTimedOut',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
      Statistic: 'Sum',
      Period: 300,
      ...atLeastOnce,
    });
  });

  it.each([
    ['validator-dead-letters', () => validatorFailuresId],
    ['sweeper-dead-letters', () => sweeperFailuresId],
  ])('%s: any message visible', (name, queueId) => {
    expect(alarmNamed(name)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
      Statistic: 'Maximum',
      ...atLeastOnce,
    });
  });

  it('validator error rate: errors / invocations above 5 % over 15 minutes', () => {
    const alarm = alarmNamed('validator-error-rate');
    expect(alarm).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    const queries = alarm.Metrics as { Id: string; Expression?: string; ReturnData: boolean; MetricStat?: CfnJson }[];
    expect(queries.find((q) => q.ReturnData)?.Expression).toBe('IF(invocations > 0, 100 * errors / invocations, 0)');
    const validator = { Name: 'FunctionName', Value: { Ref: idOf(stateless.eventFunctions.validator) } };
    for (const [id, metricName] of [
      ['errors', 'Errors'],
      ['invocations', 'Invocations'],
    ]) {
      expect(queries.find((q) => q.Id === id)?.MetricStat).toEqual({
        Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: [validator] },
        Period: 900,
        Stat: 'Sum',
      });
    }
  });

  it('evidence checks that threw: at least one', () => {
    expect(alarmNamed('evidence-check-failed')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'EvidenceCheckFailed',
      Dimensions: [{ Name: 'service', Value: 'validator' }],
      Statistic: 'Sum',
      ...atLeastOnce,
    });
  });

  it('reviews due within 24 hours: at least 10 (the default), read from the sweeper’s hourly gauge', () => {
    expect(alarmNamed('reviews-due-within-24h')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'ReviewsDueWithin24h',
      Dimensions: [{ Name: 'service', Value: 'sweeper' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('Lambda throttles: every function in exactly one alarm, at most 10 metrics each', () => {
    const throttleAlarms = alarms.filter((alarm) => String(alarm.AlarmName).endsWith('-throttles'));
    const covered: string[] = [];
    for (const alarm of throttleAlarms) {
      expect(alarm).toMatchObject(atLeastOnce);
      const queries = alarm.Metrics as { Expression?: string; ReturnData: boolean; MetricStat?: CfnJson }[];
      const stats = queries.filter((q) => q.MetricStat);
      expect(stats.length).toBeLessThanOrEqual(MAX_METRICS_PER_ALARM);
      expect(queries.find((q) => q.ReturnData)?.Expression).toMatch(/^SUM\(\[t\d+(, t\d+)*\]\)$/);
      for (const q of stats) {
        expect(q.MetricStat).toMatchObject({
          Metric: { Namespace: 'AWS/Lambda', MetricName: 'Throttles' },
          Stat: 'Sum',
        });
        covered.push(q.MetricStat.Metric.Dimensions[0].Value.Ref);
      }
    }
    expect(covered.sort()).toEqual(allFunctions.map(([, fn]) => idOf(fn)).sort());
  });

  it('takes the reviews-due threshold from a prop, and refuses nonsense', () => {
    const app = testApp();
    const { bucket, table, linkKey, signIn } = new StatefulStack(app, 'Stateful', { allowedOrigins: TEST_ORIGINS });
    const stack = new StatelessStack(app, 'Stateless', {
      allowedOrigins: TEST_ORIGINS,
      bucket,
      table,
      linkKey,
      signIn,
      reviewsDueAlarmThreshold: 25,
    });
    expect(stack.alarms.alarms['reviews-due-within-24h']?.node.defaultChild).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReviewsDueWithin24h',
      Threshold: 25,
    });
    const app2 = testApp();
    const stateful2 = new StatefulStack(app2, 'Stateful', { allowedOrigins: TEST_ORIGINS });
    expect(
      () =>
        new StatelessStack(app2, 'Stateless', {
          allowedOrigins: TEST_ORIGINS,
          bucket: stateful2.bucket,
          table: stateful2.table,
          linkKey: stateful2.linkKey,
          signIn: stateful2.signIn,
          reviewsDueAlarmThreshold: 0,
        }),
    ).toThrow(/reviewsDueThreshold must be a whole number/);
  });
});

describe('the alarm topic', () => {
  it('is encrypted with its own rotating KMS key that CloudWatch may use', () => {
    const keyId = idOf(stateless.alarms.key);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('accepts TLS only, and alarms of this account as publishers', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':alarm:*'])] }) },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
  });

  it('has no subscription unless alarmEmail is given, and outputs its ARN', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });

  it('subscribes alarmEmail, and refuses an address that is not one', () => {
    const { stateless: withEmail } = definePipeline(testApp(), {
      stage: 'test',
      allowedOrigins: TEST_ORIGINS,
      alarmEmail: 'ops@clusters.example.gov.cn',
    });
    Template.fromStack(withEmail).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@clusters.example.gov.cn',
      TopicArn: { Ref: logicalId(withEmail, withEmail.alarms.topic) },
    });
    expect(() =>
      definePipeline(testApp(), { stage: 'test', allowedOrigins: TEST_ORIGINS, alarmEmail: 'Ops <ops@example>' }),
    ).toThrow(/alarmEmail .* must be a bare email address/);
  });
});
