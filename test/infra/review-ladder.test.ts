import { describe, expect, it } from 'vitest';
import { resolveCfnJson } from '../../infra/constructs/asl-json.ts';
import { localFunctionName, localLadderDefinition } from '../../infra/constructs/review-ladder.ts';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { ENV } from '../../shared/composition/env.ts';
import {
  API_FUNCTIONS,
  EVENT_FUNCTIONS,
  type FunctionSpec,
  SCHEDULED_FUNCTIONS,
} from '../../shared/platform/functions.ts';
import { LADDER_STATES } from '../../shared/ladder/states.ts';
import { WORKFLOW_TASKS, type WorkflowTaskKey } from '../../shared/ladder/tasks.ts';
import { actionsOf, logicalId, onlyResource, roleStatements, statementsWith, synthPipeline } from './helpers.ts';

const { stateless, statelessTemplate: template } = synthPipeline();
const stateMachineId = logicalId(stateless, stateless.reviewLadder.stateMachine);
const stateMachineArn = { Ref: stateMachineId };
const taskKeys = Object.keys(WORKFLOW_TASKS) as WorkflowTaskKey[];
const workflowFunctions: [WorkflowTaskKey, PipelineFunction][] = taskKeys.map((key) => [
  key,
  stateless.workflowFunctions[key],
]);
const allFunctions: [string, PipelineFunction][] = [
  ...Object.entries(stateless.apiFunctions),
  ...Object.entries(stateless.eventFunctions),
  ...Object.entries(stateless.scheduledFunctions),
  ...workflowFunctions,
];
/** API, event and scheduled functions with their specs (mail, links, state machine access). */
const specifiedFunctions: [PipelineFunction, FunctionSpec][] = [
  ...Object.entries(API_FUNCTIONS).map(([name, spec]): [PipelineFunction, FunctionSpec] => [
    stateless.apiFunctions[name as keyof typeof API_FUNCTIONS],
    spec,
  ]),
  ...Object.entries(SCHEDULED_FUNCTIONS).map(([name, spec]): [PipelineFunction, FunctionSpec] => [
    stateless.scheduledFunctions[name as keyof typeof SCHEDULED_FUNCTIONS],
    spec,
  ]),
  ...Object.entries(EVENT_FUNCTIONS).map(([name, spec]): [PipelineFunction, FunctionSpec] => [
    stateless.eventFunctions[name as keyof typeof EVENT_FUNCTIONS],
    spec,
  ]),
];
const statementsOf = (fn: PipelineFunction) => roleStatements(template, stateless, fn);
const variablesOf = (fn: PipelineFunction) =>
  (template.toJSON().Resources[logicalId(stateless, fn)]?.Properties.Environment?.Variables ?? {}) as Record<
    string,
    unknown
  >;

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}

/** The deployed definition, function ARNs replaced by `fn:<logical id>` (parsed, never snapshotted). */
const definition = (() => {
  const machine = onlyResource(template, 'AWS::StepFunctions::StateMachine');
  const text = resolveCfnJson(machine.Properties.DefinitionString, { arnOf: (id) => `fn:${id}` });
  if (typeof text !== 'string') throw new Error('the DefinitionString did not resolve to text');
  return JSON.parse(text) as { StartAt: string; States: Record<string, AslState> };
})();
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === 'Task');
const isCallback = (state: AslState) => state.Resource?.endsWith(':states:::lambda:invoke.waitForTaskToken') ?? false;
const functionOf = (state: AslState) => (isCallback(state) ? state.Parameters?.FunctionName : state.Resource);

describe('the review ladder state machine', () => {
  it('is a Standard workflow with X-Ray tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
    });
  });

  it('logs every event (level ALL) to its own log group with a retention', () => {
    const logging = onlyResource(template, 'AWS::StepFunctions::StateMachine').Properties.LoggingConfiguration;
    expect(logging).toMatchObject({
      Level: 'ALL',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } }],
    });
    const logGroupId = logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(logGroupId).toBe(logicalId(stateless, stateless.reviewLadder.logGroup));
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 90 },
    });
  });

  it('is the very definition the local runtime runs (one definition, two runtimes)', () => {
    const localArnOf = new Map(
      workflowFunctions.map(([key, fn]) => [
        logicalId(stateless, fn),
        `arn:aws-cn:lambda:cn-north-1:000000000000:function:${localFunctionName(key)}`,
      ]),
    );
    const machine = onlyResource(template, 'AWS::StepFunctions::StateMachine');
    const text = resolveCfnJson(machine.Properties.DefinitionString, { arnOf: (id) => localArnOf.get(id) });
    expect(typeof text).toBe('string');
    const deployed = JSON.parse(text as string);
    expect(deployed).toEqual(localLadderDefinition());
  });

  it('has every state the exported names list, and no other', () => {
    expect(Object.keys(definition.States).sort()).toEqual(Object.values(LADDER_STATES).sort());
    expect(definition.StartAt).toBe(LADDER_STATES.prepareRoute);
  });

  it('times every callback task out at the deadline its payload carries, never the service default', () => {
    const callbacks = Object.fromEntries(
      tasks.filter(([, state]) => isCallback(state)).map(([name, state]) => [name, state]),
    );
    expect(Object.keys(callbacks).sort()).toEqual([LADDER_STATES.awaitResubmission, LADDER_STATES.requestReview]);
    expect(callbacks[LADDER_STATES.requestReview]?.TimeoutSecondsPath).toBe('$.current.timeoutSeconds');
    expect(callbacks[LADDER_STATES.awaitResubmission]?.TimeoutSecondsPath).toBe('$.returned.timeoutSeconds');
    for (const state of Object.values(callbacks)) {
      expect(state.TimeoutSeconds).toBeUndefined();
      expect(state.Parameters?.Payload).toMatchObject({ 'taskToken.$': '$$.Task.Token' });
      // The deadline, a cancellation and a withdrawal each end the wait in their own transition.
      expect(state.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
        [['States.Timeout'], LADDER_STATES.markOverdue],
        [['Cancelled'], LADDER_STATES.markCancelled],
        [['Withdrawn'], LADDER_STATES.markWithdrawn],
      ]);
    }
  });

  it('invokes every task function, and only those', () => {
    const invoked = new Set(tasks.map(([, state]) => functionOf(state)));
    const expected = new Set(workflowFunctions.map(([, fn]) => `fn:${logicalId(stateless, fn)}`));
    expect(invoked).toEqual(expected);
  });

  it('never retries what retrying cannot cure, and retries the rest with backoff', () => {
    for (const [name, state] of tasks) {
      const [guard, retry, ...more] = state.Retry ?? [];
      expect(more, name).toEqual([]);
      expect(guard, name).toMatchObject({ MaxAttempts: 0 });
      expect(guard?.ErrorEquals, name).toEqual(
        expect.arrayContaining(['Cancelled', 'Withdrawn', 'TransitionRefused', 'InvalidWorkflowPayload']),
      );
      expect(retry, name).toMatchObject({ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 6, BackoffRate: 2 });
    }
  });

  it('may invoke exactly the task functions', () => {
    const role = onlyResource(template, 'AWS::StepFunctions::StateMachine').Properties.RoleArn['Fn::GetAtt'][0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const invokable = statementsWith(statements, 'lambda:InvokeFunction')
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => JSON.stringify(resource));
    for (const [, fn] of workflowFunctions) {
      expect(invokable).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(stateless, fn), 'Arn'] }));
    }
    const invokedIds = new Set(invokable.map((text) => /"([A-Za-z0-9]+Function[A-F0-9]+)"/.exec(text)?.[1]));
    expect(invokedIds).toEqual(new Set(workflowFunctions.map(([, fn]) => logicalId(stateless, fn))));
  });
});

describe('who may talk to the state machine', () => {
  const applications = stateless.apiFunctions.applications;
  const reviews = stateless.apiFunctions.reviews;

  it('the applications function starts executions and completes resubmission waits, on this state machine only', () => {
    const statements = statementsOf(applications);
    expect(
      actionsOf(statements)
        .filter((a) => a.startsWith('states:'))
        .sort(),
    ).toEqual(['states:SendTaskSuccess', 'states:StartExecution']);
    for (const action of ['states:StartExecution', 'states:SendTaskSuccess']) {
      expect(statementsWith(statements, action).map((s) => s.Resource)).toEqual([stateMachineArn]);
    }
    expect(variablesOf(applications)[ENV.stateMachineArn]).toEqual(stateMachineArn);
  });

  it('the reviews function answers task tokens of this state machine and stops its executions', () => {
    const statements = statementsOf(reviews);
    expect(
      actionsOf(statements)
        .filter((a) => a.startsWith('states:'))
        .sort(),
    ).toEqual(['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess', 'states:StopExecution']);
    for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']) {
      expect(statementsWith(statements, action).map((s) => s.Resource)).toEqual([stateMachineArn]);
    }
    // Executions of this state machine: arn:…:execution:<state machine name>:*
    const [stop] = statementsWith(statements, 'states:StopExecution');
    expect(JSON.stringify(stop?.Resource)).toMatch(/:execution:/);
    expect(JSON.stringify(stop?.Resource)).toContain(stateMachineId);
  });

  it('the RequestReview task answers (and heartbeats) tokens on the ARN built from the state machine name, nothing more', () => {
    const requestReview = stateless.workflowFunctions.requestReview;
    const statements = statementsOf(requestReview).filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')));
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements).sort()).toEqual([
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
    ]);
    // A plain string (no Ref/GetAtt to the state machine), so no dependency cycle.
    expect(JSON.stringify(statements[0]?.Resource)).toContain(
      ':stateMachine:ClusterPipeline-test-Stateless-ReviewLadder',
    );
    expect(JSON.stringify(statements[0]?.Resource)).not.toContain(stateMachineId);
  });

  it('the validator answers task tokens of this state machine (a valid formal letter completes its steps), nothing more', () => {
    const validator = stateless.eventFunctions.validator;
    const statements = statementsOf(validator);
    expect(
      actionsOf(statements)
        .filter((a) => a.startsWith('states:'))
        .sort(),
    ).toEqual(['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
    for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']) {
      expect(statementsWith(statements, action).map((s) => s.Resource)).toEqual([stateMachineArn]);
    }
    // Task tokens name their execution: the validator needs no state machine ARN.
    expect(ENV.stateMachineArn in variablesOf(validator)).toBe(false);
  });

  it('no other function holds any Step Functions permission, and only the applications and ops functions the ARN', () => {
    // The ops function's grants are checked in operations.test.ts.
    const ops = stateless.apiFunctions.ops;
    const validator = stateless.eventFunctions.validator;
    for (const [name, fn] of allFunctions) {
      if (
        fn === applications ||
        fn === reviews ||
        fn === ops ||
        fn === validator ||
        fn === stateless.workflowFunctions.requestReview
      ) {
        continue;
      }
      expect(
        actionsOf(statementsOf(fn)).filter((a) => a.startsWith('states:')),
        name,
      ).toEqual([]);
      expect(ENV.stateMachineArn in variablesOf(fn), name).toBe(false);
    }
    expect(ENV.stateMachineArn in variablesOf(reviews)).toBe(false);
  });
});

describe('email', () => {
  const mailing = new Set<PipelineFunction>([
    ...workflowFunctions.filter(([key]) => 'mail' in WORKFLOW_TASKS[key]).map(([, fn]) => fn),
    ...specifiedFunctions.filter(([, spec]) => spec.mail).map(([fn]) => fn),
  ]);

  it('mails from the review desk, the sweeper and the validator (a level told its letter waits over a full quota)', () => {
    expect(mailing.has(stateless.apiFunctions.reviews)).toBe(true);
    expect(mailing.has(stateless.scheduledFunctions.sweeper)).toBe(true);
    expect(mailing.has(stateless.eventFunctions.validator)).toBe(true);
  });

  it.each(allFunctions)('%s may send email only if it mails, and only from the sender address', (_name, fn) => {
    const statements = statementsOf(fn);
    const grants = statementsWith(statements, 'ses:SendEmail');
    if (!mailing.has(fn)) {
      expect(actionsOf(statements).filter((a) => a.startsWith('ses:'))).toEqual([]);
      expect(ENV.senderEmail in variablesOf(fn)).toBe(false);
      return;
    }
    expect(grants).toHaveLength(1);
    expect(grants[0]?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@clusters.example.gov.cn' } });
    const resources = JSON.stringify(grants[0]?.Resource);
    expect(resources).toContain(':identity/no-reply@clusters.example.gov.cn');
    expect(resources).toContain(':identity/clusters.example.gov.cn');
    expect(variablesOf(fn)[ENV.senderEmail]).toBe('no-reply@clusters.example.gov.cn');
  });

  it('links in emails point at the API unless publicBaseUrl says otherwise', () => {
    const apiId = logicalId(stateless, stateless.api);
    const linking = new Set([
      stateless.apiFunctions.reviews,
      stateless.workflowFunctions.requestReview,
      stateless.scheduledFunctions.sweeper,
      // Not for links: the console's sign-in callback URL (sign-in.test.ts).
      stateless.apiFunctions.ops,
      // Not for review links: the console inbox's address in the full-quota notice (no link key).
      stateless.eventFunctions.validator,
    ]);
    for (const [name, fn] of allFunctions) {
      if (linking.has(fn))
        expect(variablesOf(fn)[ENV.publicBaseUrl], name).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
      else expect(ENV.publicBaseUrl in variablesOf(fn), name).toBe(false);
    }
  });
});
