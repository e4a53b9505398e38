import { App, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ILogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { WORKFLOW_ERRORS } from '../../shared/ladder/contract.ts';
import { LADDER_STATES as S } from '../../shared/ladder/states.ts';
import { WORKFLOW_TASK_ERRORS, WORKFLOW_TASKS, type WorkflowTaskKey } from '../../shared/ladder/tasks.ts';
import { MAIL_ERRORS } from '../../shared/ports/core.ts';
import { resourceFinding, suppress } from '../nag.ts';
import { type PseudoParameters, resolveCfnJson } from './asl-json.ts';

/**
 * The review ladder: one Standard execution per submitted application, county → city →
 * province → MIIT → recognised, each level running the steps it declares (shared/rules/steps.ts:
 * the campaign's, or its province overlay's), defined once here and run both in AWS and,
 * resolved to plain JSON (`localLadderDefinition`), by the local runtime.
 *
 *   PrepareRoute → EnterStage → StepKind
 *     StepKind: a public notice → StartPublicNotice → WaitForNoticeEnd → CheckObjections → ObjectionsFiled
 *               any person step → RequestReview ⇢ → Decision
 *     Decision: approve → StepDone
 *               return  → MarkReturned → AwaitResubmission ⇢ → ReviewAgain → EnterStage
 *               reject  → MarkRejected
 *     ObjectionsFiled: an upheld objection → ReviewAgain (the level holding the notice, next round);
 *                      one not yet triaged → AwaitTriage → CheckObjections; none → StepDone
 *     StepDone: a later step at this stage        → NextStep → EnterStage
 *               the last stage's last step        → Recognize
 *               a batch stage's last step         → WaitUntilForwarded → NextStage → EnterStage
 *               a stage's last step               → NextStage → EnterStage
 *
 * ReviewAgain enters the same stage at its first step, next round: a resubmitted application is a
 * new revision, and a level that weighed an upheld objection decides again, so the level runs its
 * whole sequence on what it now has (a formal check or an expert panel on the old revision would
 * vouch for papers that changed).
 *
 * The two callback tasks (⇢) time out at the stage deadline (TimeoutSecondsPath, never the
 * service default) into MarkOverdue, and a withdrawal or cancellation (SendTaskFailure with
 * WORKFLOW_ERRORS) goes to MarkWithdrawn or MarkCancelled. The route, the steps, the deadlines
 * and the batch dates come from PrepareRoute (the jurisdiction tree and the campaign): nothing
 * here knows a date, a jurisdiction or a province's sequence.
 */

export interface LadderTimings {
  /** Pause before the first retry of a failed task (a throttled Lambda, a DynamoDB hiccup). @default 2 s */
  readonly retryInterval?: Duration;
  /** Retries of a failed task before the execution fails. @default 6 */
  readonly retryAttempts?: number;
  /** @default 2 */
  readonly retryBackoffRate?: number;
  /** How long the ended notice waits before it looks again for objections still untriaged. @default 6 h */
  readonly triageRecheckInterval?: Duration;
}

const LADDER_COMMENT =
  'Review ladder: county → city → province → MIIT → recognised, each level running its declared steps';

/** Errors retrying cannot cure: caught (or failing the execution) at once. */
const NOT_RETRIED = [
  WORKFLOW_TASK_ERRORS.invalidPayload,
  WORKFLOW_TASK_ERRORS.transitionRefused,
  WORKFLOW_ERRORS.cancelled,
  WORKFLOW_ERRORS.withdrawn,
  // The mail server refused the login or the address: fails the step at once, for a redrive after the fix.
  MAIL_ERRORS.refused,
  // Never matched by States.TaskFailed in AWS; listed so that no runtime retries a timeout.
  sfn.Errors.TIMEOUT,
];

/**
 * The graph, built in `scope` from the task functions. `ReviewLadder` uses it for the real state
 * machine; `localLadderDefinition` for the local runtime's copy of the same graph.
 */
export function ladderDefinition(
  scope: Construct,
  functions: Record<WorkflowTaskKey, lambda.IFunction>,
  timings: LadderTimings = {},
): sfn.IChainable {
  const retry = {
    interval: timings.retryInterval ?? Duration.seconds(2),
    maxAttempts: timings.retryAttempts ?? 6,
    backoffRate: timings.retryBackoffRate ?? 2,
  };
  const withRetries = (task: tasks.LambdaInvoke): tasks.LambdaInvoke => {
    // Order matters: the first retrier whose errors match decides, and MaxAttempts 0 means "never".
    task.addRetry({ errors: NOT_RETRIED, maxAttempts: 0 });
    task.addRetry({ errors: [sfn.Errors.TASKS_FAILED], ...retry });
    return task;
  };

  /** A plain Lambda task: Resource is the function, the payload its event, its result the output. */
  const invoke = (stateName: string, key: WorkflowTaskKey, payload: Record<string, unknown>, resultPath?: string) =>
    withRetries(
      new tasks.LambdaInvoke(scope, stateName, {
        stateName,
        lambdaFunction: functions[key],
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        ...(resultPath && { resultPath }),
      }),
    );

  /** A callback task: the function stores the token; the task waits until its deadline at most. */
  const callback = (
    stateName: string,
    key: WorkflowTaskKey,
    payload: Record<string, unknown>,
    timeoutSecondsPath: string,
    resultPath: string,
  ) =>
    withRetries(
      new tasks.LambdaInvoke(scope, stateName, {
        stateName,
        lambdaFunction: functions[key],
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({ taskToken: sfn.JsonPath.taskToken, ...payload }),
        taskTimeout: sfn.Timeout.at(timeoutSecondsPath),
        retryOnServiceExceptions: false,
        resultPath,
      }),
    );

  const at = (path: string) => sfn.JsonPath.stringAt(path);
  const applicationId = at('$.applicationId');
  const current = sfn.JsonPath.objectAt('$.current');

  // ---- Terminal transitions: each ends the execution with its outcome as the output.
  const close = (stateName: string, outcome: string, cause: Record<string, unknown>) =>
    invoke(stateName, 'closeApplication', { outcome, applicationId, current, ...cause });
  const failure = { failure: sfn.JsonPath.objectAt('$.failure') };
  const markRejected = close(S.markRejected, 'REJECTED', { decision: sfn.JsonPath.objectAt('$.decision') });
  const markOverdue = close(S.markOverdue, 'OVERDUE', failure);
  const markCancelled = close(S.markCancelled, 'CANCELLED', failure);
  const markWithdrawn = close(S.markWithdrawn, 'WITHDRAWN', failure);

  /** Deadline, cancellation and withdrawal end any wait for a person. */
  const endWaitsOn = (task: tasks.LambdaInvoke) =>
    task
      .addCatch(markOverdue, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.failure' })
      .addCatch(markCancelled, { errors: [WORKFLOW_ERRORS.cancelled], resultPath: '$.failure' })
      .addCatch(markWithdrawn, { errors: [WORKFLOW_ERRORS.withdrawn], resultPath: '$.failure' });

  // ---- The stages.
  const prepareRoute = invoke(S.prepareRoute, 'prepareRoute', {
    applicationId,
    revision: sfn.JsonPath.numberAt('$.revision'),
  });
  const enterStage = invoke(
    S.enterStage,
    'enterStage',
    {
      applicationId,
      executionArn: sfn.JsonPath.executionId,
      route: sfn.JsonPath.objectAt('$.route'),
      next: sfn.JsonPath.objectAt('$.next'),
    },
    '$.current',
  );
  const requestReview = endWaitsOn(
    callback(
      S.requestReview,
      'requestReview',
      { review: sfn.JsonPath.objectAt('$.current.review') },
      '$.current.timeoutSeconds',
      '$.decision',
    ),
  );
  const nextStage = new sfn.Pass(scope, S.nextStage, {
    stateName: S.nextStage,
    parameters: { index: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.current.index'), 1), step: 0, round: 1 },
    resultPath: '$.next',
  });
  const nextStep = new sfn.Pass(scope, S.nextStep, {
    stateName: S.nextStep,
    comment: "The stage's next declared step, in the same round.",
    parameters: {
      index: sfn.JsonPath.numberAt('$.current.index'),
      step: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.current.step.index'), 1),
      round: sfn.JsonPath.numberAt('$.current.review.round'),
    },
    resultPath: '$.next',
  });
  const waitUntilForwarded = new sfn.Wait(scope, S.waitUntilForwarded, {
    stateName: S.waitUntilForwarded,
    comment: 'The stage forwards its approvals as one list at this date (the province to MIIT).',
    time: sfn.WaitTime.timestampPath('$.current.forwardAt'),
  });
  const reviewAgain = new sfn.Pass(scope, S.reviewAgain, {
    stateName: S.reviewAgain,
    comment: 'The same stage from its first step, next round: after a resubmission, or an upheld objection.',
    parameters: {
      index: sfn.JsonPath.numberAt('$.current.index'),
      step: 0,
      round: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.current.review.round'), 1),
    },
    resultPath: '$.next',
  });

  // ---- Return for revision: the applicant may resubmit until the stage deadline.
  const markReturned = invoke(
    S.markReturned,
    'markReturned',
    { applicationId, current, decision: sfn.JsonPath.objectAt('$.decision') },
    '$.returned',
  );
  const awaitResubmission = endWaitsOn(
    callback(
      S.awaitResubmission,
      'awaitResubmission',
      { applicationId, current },
      '$.returned.timeoutSeconds',
      '$.resubmission',
    ),
  );

  // ---- A public-notice step, then recognition.
  const startPublicNotice = invoke(
    S.startPublicNotice,
    'startPublicNotice',
    { applicationId, current, noticeDays: sfn.JsonPath.numberAt('$.current.step.config.days') },
    '$.notice',
  );
  const waitForNoticeEnd = new sfn.Wait(scope, S.waitForNoticeEnd, {
    stateName: S.waitForNoticeEnd,
    time: sfn.WaitTime.timestampPath('$.notice.endsAt'),
  });
  const checkObjections = invoke(
    S.checkObjections,
    'checkObjections',
    { applicationId, notice: sfn.JsonPath.objectAt('$.notice') },
    '$.objections',
  );
  const recognize = invoke(S.recognize, 'recognize', {
    applicationId,
    current,
    validityYears: sfn.JsonPath.numberAt('$.route.validityYears'),
  });
  // An objection moves nothing until the level holding the notice triages it (shared/notice/).
  const awaitTriage = new sfn.Wait(scope, S.awaitTriage, {
    stateName: S.awaitTriage,
    comment: 'An objection is not yet triaged: nothing moves back or on until the level decides it.',
    time: sfn.WaitTime.duration(timings.triageRecheckInterval ?? Duration.hours(6)),
  });
  // ---- Done with a step: the stage's next step, the next stage (at its date), or recognition.
  const stepDone = new sfn.Choice(scope, S.stepDone, { stateName: S.stepDone })
    .when(sfn.Condition.booleanEquals('$.current.step.isLastOfStage', false), nextStep)
    .when(sfn.Condition.booleanEquals('$.current.isLast', true), recognize)
    .when(sfn.Condition.isPresent('$.current.forwardAt'), waitUntilForwarded)
    .otherwise(nextStage);

  const objectionsFiled = new sfn.Choice(scope, S.objectionsFiled, { stateName: S.objectionsFiled })
    .when(sfn.Condition.numberGreaterThan('$.objections.upheld', 0), reviewAgain)
    .when(sfn.Condition.numberGreaterThan('$.objections.untriaged', 0), awaitTriage)
    .otherwise(stepDone);

  const decided = (kind: string) => sfn.Condition.stringEquals('$.decision.decision', kind);
  const decision = new sfn.Choice(scope, S.decision, { stateName: S.decision })
    .when(decided('approve'), stepDone)
    .when(decided('return'), markReturned)
    .when(decided('reject'), markRejected)
    .otherwise(
      new sfn.Fail(scope, S.unknownDecision, {
        stateName: S.unknownDecision,
        error: 'UnknownDecision',
        cause: 'The review desk sent a decision other than approve, return or reject',
      }),
    );

  // ---- Which step: the state machine runs a public notice itself; a person takes every other.
  const stepKind = new sfn.Choice(scope, S.stepKind, { stateName: S.stepKind })
    .when(sfn.Condition.stringEquals('$.current.step.kind', 'public-notice'), startPublicNotice)
    .otherwise(requestReview);

  waitUntilForwarded.next(nextStage);
  nextStage.next(enterStage);
  nextStep.next(enterStage);
  reviewAgain.next(enterStage);
  markReturned.next(awaitResubmission);
  awaitResubmission.next(reviewAgain);
  requestReview.next(decision);
  startPublicNotice.next(waitForNoticeEnd).next(checkObjections).next(objectionsFiled);
  awaitTriage.next(checkObjections);
  return prepareRoute.next(enterStage).next(stepKind);
}

export interface ReviewLadderProps {
  /** One function per WORKFLOW_TASKS entry. */
  readonly functions: Record<WorkflowTaskKey, lambda.IFunction>;
  readonly timings?: LadderTimings;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The Standard state machine with every state transition logged (level ALL) to its own log
 * group, and X-Ray tracing. Execution data (inputs, outputs: decisions, reasons, task tokens)
 * stays out of the logs; the execution history has it for those allowed to read it.
 */
export class ReviewLadder extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: ILogGroup;
  /**
   * The state machine's ARN built from its name rather than referenced: a task function that
   * must answer task tokens itself can be granted on it without the dependency cycle a reference
   * makes (the definition references the function; a granted reference, the state machine).
   */
  readonly stateMachineArnByName: string;

  constructor(scope: Construct, id: string, props: ReviewLadderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = `${stack.stackName}-${id}`;
    this.stateMachineArnByName = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.THREE_MONTHS });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      comment: LADDER_COMMENT,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(ladderDefinition(this, props.functions, props.timings)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    suppress(this.stateMachine.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Lambda tasks: lambda:InvokeFunction on each of the ladder task functions and their versions (<function ARN>:*), as LambdaInvoke grants it; no other function.',
        appliesTo: [resourceFinding('Ladder', ':*')],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Execution logging (logs:CreateLogDelivery, logs:DescribeLogGroups, …) and X-Ray (xray:PutTraceSegments, …) take no resource-level permissions: Step Functions requires them on "*".',
        appliesTo: ['Resource::*'],
      },
    ]);
  }
}

/** The local runtime invokes task `key` as the function named so. */
export const localFunctionName = (key: WorkflowTaskKey): string => `local-${key}`;

/**
 * The same graph as plain-JSON ASL, for the local runtime and the definition tests: built in a
 * throwaway stack with the task functions imported by their local names, then resolved.
 */
export function localLadderDefinition(
  timings?: LadderTimings,
  pseudo?: Partial<PseudoParameters>,
): Record<string, unknown> {
  const stack = new Stack(new App(), 'LocalReviewLadder');
  const functions = Object.fromEntries(
    (Object.keys(WORKFLOW_TASKS) as WorkflowTaskKey[]).map((key) => [
      key,
      lambda.Function.fromFunctionName(stack, key, localFunctionName(key)),
    ]),
  ) as Record<WorkflowTaskKey, lambda.IFunction>;
  const chain = ladderDefinition(stack, functions, timings);
  const graph = new sfn.StateGraph(chain.startState, 'Review ladder');
  const definition = resolveCfnJson(stack.resolve({ ...graph.toGraphJson(), Comment: LADDER_COMMENT }), { pseudo });
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw new Error('the ladder definition did not resolve to a JSON object');
  }
  return definition;
}
