import { isDeepStrictEqual } from 'node:util';
import { PACKAGE_REQUEST_PREFIX } from '../../shared/package/keys.ts';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type PipelineFunction, tableGrantOf } from '../../infra/constructs/pipeline-function.ts';
import { ENV } from '../../shared/composition/env.ts';
import {
  ANNUAL_REPORT_PREFIX,
  EVIDENCE_PREFIX,
  LEVEL_SUMMARY_PREFIX,
  QUARANTINE_PREFIX,
} from '../../shared/rules/storage.ts';
import {
  API_FUNCTIONS,
  EVENT_FUNCTIONS,
  type FunctionSpec,
  SCHEDULED_FUNCTIONS,
} from '../../shared/platform/functions.ts';
import { ROUTES, routeKey } from '../../shared/platform/http/routes.ts';
import { METRICS_NAMESPACE } from '../../shared/platform/metrics.ts';
import { WORKFLOW_TASKS, type WorkflowTaskKey, type WorkflowTaskSpec } from '../../shared/ladder/tasks.ts';
import {
  actionsOf,
  logicalId,
  onlyResource,
  roleStatements,
  statementsWith,
  synthPipeline,
  TEST_ORIGINS,
} from './helpers.ts';

const { stateful, stateless, statefulTemplate, statelessTemplate: template } = synthPipeline();

const functions: [string, PipelineFunction, FunctionSpec][] = [
  ...Object.entries(API_FUNCTIONS).map(
    ([name, spec]) => [name, stateless.apiFunctions[name as keyof typeof API_FUNCTIONS], spec] as const,
  ),
  ...Object.entries(EVENT_FUNCTIONS).map(
    ([name, spec]) => [name, stateless.eventFunctions[name as keyof typeof EVENT_FUNCTIONS], spec] as const,
  ),
  ...Object.entries(SCHEDULED_FUNCTIONS).map(
    ([name, spec]) =>
      [name, stateless.scheduledFunctions[name as keyof typeof SCHEDULED_FUNCTIONS], spec as FunctionSpec] as const,
  ),
  ...Object.entries(WORKFLOW_TASKS).map(([name, spec]: [string, WorkflowTaskSpec]) => {
    const asFunctionSpec: FunctionSpec = { entry: spec.entry, table: spec.table, bucket: spec.bucket ?? 'none' };
    return [name, stateless.workflowFunctions[name as WorkflowTaskKey], asFunctionSpec] as const;
  }),
].map(([name, fn, spec]) => [name, fn, spec]);

const functionProps = (fn: PipelineFunction) => {
  const resource = template.toJSON().Resources[logicalId(stateless, fn)];
  if (!resource) throw new Error(`no resource for ${fn.node.path}`);
  return resource.Properties;
};
const statementsOf = (fn: PipelineFunction) => roleStatements(template, stateless, fn);
const validator = stateless.eventFunctions.validator;
const validatorId = logicalId(stateless, validator);
const packageBuilderId = logicalId(stateless, stateless.eventFunctions.packageBuilder);
const queueId = logicalId(stateless, stateless.validatorFailures);
const bucketId = logicalId(stateful, stateful.bucket);
const tableId = logicalId(stateful, stateful.table);

/** How the stateless template reads a value of the stateful stack: an output, read weakly. */
function fromStateful(value: unknown) {
  const outputs = statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
  const name = Object.keys(outputs).find(
    (key) => key.startsWith('Publish') && isDeepStrictEqual(outputs[key]?.Value, value),
  );
  if (!name) throw new Error(`the stateful stack publishes no output for ${JSON.stringify(value)}`);
  return {
    'Fn::GetStackOutput': { StackName: stateful.stackName, Region: { Ref: 'AWS::Region' }, OutputName: name },
  };
}
const bucketName = fromStateful({ Ref: bucketId });
const bucketArn = fromStateful({ 'Fn::GetAtt': [bucketId, 'Arn'] });
const tableArn = fromStateful({ 'Fn::GetAtt': [tableId, 'Arn'] });

/** Resource of an object grant on the evidence bucket: `<bucket ARN>/<prefix>*`. */
const objectsUnder = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });

describe('functions', () => {
  it('builds one function per entry of API_FUNCTIONS, EVENT_FUNCTIONS, SCHEDULED_FUNCTIONS and WORKFLOW_TASKS, and no other Node.js function', () => {
    const nodeFunctions = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Runtime: Match.stringLikeRegexp('^nodejs') },
      }),
    );
    expect(nodeFunctions.sort()).toEqual(functions.map(([, fn]) => logicalId(stateless, fn)).sort());
  });

  it.each(functions)('%s runs Node.js 22 on arm64 with tracing, source maps and an ESM bundle', (_name, fn) => {
    expect(functionProps(fn)).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
    });
  });

  it.each(functions)('%s names its Powertools service and the one metrics namespace', (_name, fn) => {
    expect(functionProps(fn).Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: expect.any(String),
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    });
  });

  it.each(functions)('%s logs as JSON to its own log group with a retention', (_name, fn) => {
    const props = functionProps(fn);
    expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
    const logGroup = template.toJSON().Resources[props.LoggingConfig.LogGroup.Ref];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } });
  });

  it('uses no logRetention custom resource', () => {
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it.each(functions)('%s gets TABLE_NAME and BUCKET_NAME only when its spec grants access', (_name, fn, spec) => {
    const variables = functionProps(fn).Environment.Variables as Record<string, unknown>;
    expect(ENV.tableName in variables).toBe(spec.table !== 'none');
    expect(ENV.bucketName in variables).toBe(spec.bucket !== 'none');
  });

  it('gives the validator more memory and time than an API handler', () => {
    expect(functionProps(validator)).toMatchObject({ MemorySize: 1024, Timeout: 120 });
    expect(functionProps(stateless.apiFunctions.campaigns)).toMatchObject({ MemorySize: 512, Timeout: 10 });
  });
});

describe('least privilege', () => {
  it.each(functions)('%s has exactly the table access of its spec', (_name, fn, spec) => {
    const actions = [...new Set(actionsOf(statementsOf(fn)).filter((action) => action.startsWith('dynamodb:')))];
    const expected = spec.table === 'none' ? [] : tableGrantOf(spec.table).actions.map((a) => `dynamodb:${a}`);
    // A function that counts per-client limits also updates the limiter's counters (below).
    if (spec.limiter) expected.push('dynamodb:UpdateItem');
    expect(actions.sort()).toEqual([...new Set(expected)].sort());
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it.each(functions)('%s writes only the partitions its spec names, when it names them', (_name, fn, spec) => {
    const writesTo = spec.table === 'none' ? undefined : tableGrantOf(spec.table).writesTo;
    const writes = statementsOf(fn).filter((s) =>
      [s.Action].flat().some((a) => typeof a === 'string' && /^dynamodb:(Put|Update|Delete|ConditionCheck)/.test(a)),
    );
    const limiter = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } };
    for (const statement of writes) {
      expect(statement.Resource).toEqual(tableArn);
      // The limiter's own statement: UpdateItem on its LIMIT# counters only (test/infra/rate-limits.test.ts).
      if (spec.limiter && JSON.stringify(statement.Condition) === JSON.stringify(limiter)) {
        expect(statement.Action).toEqual('dynamodb:UpdateItem');
        continue;
      }
      expect(statement.Condition).toEqual(
        writesTo && { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': writesTo.map((prefix) => `${prefix}*`) } },
      );
    }
  });

  it('lets the ops function write audit events in application partitions and nothing else', () => {
    const statements = statementsOf(stateless.apiFunctions.ops);
    const [write, ...more] = statementsWith(statements, 'dynamodb:PutItem');
    expect(more).toEqual([]);
    expect([write?.Action].flat()).toEqual(['dynamodb:PutItem']);
    expect(write?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*'] } });
  });

  it.each(functions)('%s has no bucket access unless its spec says so', (_name, fn, spec) => {
    const actions = actionsOf(statementsOf(fn)).filter((action) => action.startsWith('s3:'));
    if (spec.bucket === 'none') expect(actions).toEqual([]);
    else expect(actions.length).toBeGreaterThan(0);
  });

  it('the jurisdictions function touches neither DynamoDB nor S3', () => {
    const actions = actionsOf(statementsOf(stateless.apiFunctions.jurisdictions));
    expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('s3:'))).toEqual([]);
  });

  it('the campaigns function cannot touch S3', () => {
    const actions = actionsOf(statementsOf(stateless.apiFunctions.campaigns));
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  it('the evidence function may put objects under evidence/ only, and not read or delete them', () => {
    const statements = statementsOf(stateless.apiFunctions.evidence);
    const s3Actions = actionsOf(statements).filter((a) => a.startsWith('s3:'));
    expect(s3Actions).toEqual(['s3:PutObject']);
    expect(statementsWith(statements, 's3:PutObject').map((s) => s.Resource)).toEqual([objectsUnder(EVIDENCE_PREFIX)]);
  });

  it('the annual-reports function puts under evidence/ and deletes under evidence/annual-reports/ only, reading nothing', () => {
    const statements = statementsOf(stateless.apiFunctions.annualReports);
    const s3Actions = actionsOf(statements).filter((a) => a.startsWith('s3:'));
    expect(s3Actions.sort()).toEqual(['s3:DeleteObject', 's3:PutObject']);
    expect(statementsWith(statements, 's3:PutObject').map((s) => s.Resource)).toEqual([objectsUnder(EVIDENCE_PREFIX)]);
    expect(statementsWith(statements, 's3:DeleteObject').map((s) => s.Resource)).toEqual([
      objectsUnder(ANNUAL_REPORT_PREFIX),
    ]);
  });

  it('the reviews function reads and puts objects under evidence/ only (download links, the city’s uploads), and deletes nothing', () => {
    const statements = statementsOf(stateless.apiFunctions.reviews);
    const s3Actions = actionsOf(statements).filter((a) => a.startsWith('s3:'));
    expect(s3Actions.sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject']);
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      expect(statementsWith(statements, action).map((s) => s.Resource)).toEqual([objectsUnder(EVIDENCE_PREFIX)]);
    }
  });

  it('the validator reads and deletes under evidence/ and writes under quarantine/ and level-summaries/ only', () => {
    const statements = statementsOf(validator);
    for (const action of ['s3:GetObject', 's3:DeleteObject']) {
      expect(statementsWith(statements, action).map((s) => s.Resource)).toEqual([objectsUnder(EVIDENCE_PREFIX)]);
    }
    // One statement for both prefixes (CDK merges them): the summary tables of filed letters, and strays.
    expect(statementsWith(statements, 's3:PutObject').flatMap((s) => [s.Resource].flat())).toEqual([
      objectsUnder(LEVEL_SUMMARY_PREFIX),
      objectsUnder(QUARANTINE_PREFIX),
    ]);
    expect(actionsOf(statements)).not.toContain('s3:DeleteObjectVersion');
    // Listing lets a missing key answer 404 rather than 403 (replayed events after quarantine).
    expect(statementsWith(statements, 's3:ListBucket')).toHaveLength(1);
    expect(actionsOf(statementsOf(stateless.apiFunctions.evidence))).not.toContain('s3:ListBucket');
  });

  it('table grants cover the table and its indexes (reads), the table (writes), nothing else', () => {
    const statements = statementsOf(stateless.apiFunctions.applications);
    const [read] = statementsWith(statements, 'dynamodb:Query');
    expect(read?.Resource).toEqual([tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }]);
    const [write] = statementsWith(statements, 'dynamodb:PutItem');
    expect(write?.Resource).toEqual(tableArn);
  });

  it('no IAM policy allows a wildcard action', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[] }[],
    );
    const wildcards = statements
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => [s.Action].flat())
      .filter((action) => action === '*' || action.endsWith(':*'));
    expect(wildcards).toEqual([]);
  });
});

describe('HTTP API', () => {
  it('has exactly one route per ROUTES entry', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey as string,
    );
    expect(routeKeys.sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map((route) => [routeKey(route), route.fn] as const))(
    '%s is served by the %s function',
    (key, fnName) => {
      const routes = Object.values(
        template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }),
      );
      expect(routes).toHaveLength(1);
      expect(routes[0]?.Properties.Target).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: expect.any(String) }]],
      });
      const integrationId: string = routes[0]?.Properties.Target['Fn::Join'][1][1].Ref;
      expect(template.toJSON().Resources[integrationId].Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [logicalId(stateless, stateless.apiFunctions[fnName]), 'Arn'] },
      });
    },
  );

  it('answers CORS preflights for the configured origins and the routes’ methods', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: TEST_ORIGINS,
        AllowMethods: Match.arrayWith([...new Set(ROUTES.map((route) => route.method))]),
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      }),
    });
  });

  it('throttles and access-logs the default stage, without query strings', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
    expect(onlyResource(template, 'AWS::ApiGatewayV2::Stage').Properties.AccessLogSettings.Format).not.toMatch(
      /querystring|requestOverride/i,
    );
  });

  it('outputs the API URL', () => {
    template.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': ['', Match.arrayWith(['https://', { Ref: logicalId(stateless, stateless.api) }])],
      },
    });
  });
});

describe('evidence validator trigger', () => {
  it('is notified of objects created under evidence/ only; the package builder of package requests only', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: bucketName,
      // Unmanaged: the handler merges with, and never wipes, notifications set elsewhere.
      Managed: false,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: EVIDENCE_PREFIX }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [validatorId, 'Arn'] },
          },
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: PACKAGE_REQUEST_PREFIX }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [packageBuilderId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('lets S3 invoke the validator for the evidence bucket only', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [validatorId, 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':s3:::', bucketName])] }),
    });
  });

  it('sends failed invocations to the failure queue after retrying', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: validatorId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    const sendGrants = statementsWith(statementsOf(validator), 'sqs:SendMessage');
    expect(sendGrants.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
  });

  it('keeps the failure queue encrypted and TLS-only', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('references the stateful stack one way only (no dependency cycle)', () => {
    expect(stateless.dependencies).toEqual([stateful]);
    expect(stateful.dependencies).toEqual([]);
    // Every value of the stateful stack arrives as a weak stack-output read, never an export.
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    expect(functionProps(validator).Environment.Variables).toMatchObject({
      [ENV.tableName]: fromStateful({ Ref: tableId }),
      [ENV.bucketName]: bucketName,
    });
  });
});
