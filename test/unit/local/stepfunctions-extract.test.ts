import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { describe, expect, it } from 'vitest';
import { lambdaFunctionName, prepareDefinition } from '../../../local/stepfunctions/definition.ts';
import {
  extractDefinition,
  extractDefinitionFromTemplate,
  type ResolveContext,
  resolveIntrinsics,
} from '../../../local/stepfunctions/extract.ts';

const context: ResolveContext = {
  pseudo: { 'AWS::Partition': 'aws-cn', 'AWS::Region': 'cn-north-1', 'AWS::AccountId': '000000000000' },
  lookup: (id) =>
    id === 'Fn1' ? { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'local-one' } } : undefined,
};

describe('resolveIntrinsics', () => {
  it('resolves Join, Sub, Select, Ref and GetAtt of a Lambda function', () => {
    expect(resolveIntrinsics({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] }, context)).toBe(
      'arn:aws-cn:x',
    );
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['Fn1', 'Arn'] }, context)).toBe(
      'arn:aws-cn:lambda:cn-north-1:000000000000:function:local-one',
    );
    expect(resolveIntrinsics({ 'Fn::GetAtt': 'Fn1.Arn' }, context)).toMatch(/function:local-one$/);
    expect(resolveIntrinsics({ Ref: 'Fn1' }, context)).toBe('local-one');
    expect(resolveIntrinsics({ 'Fn::Sub': ['${AWS::Region}/${Name}/${Fn1.Arn}', { Name: 'n' }] }, context)).toBe(
      'cn-north-1/n/arn:aws-cn:lambda:cn-north-1:000000000000:function:local-one',
    );
    expect(resolveIntrinsics({ 'Fn::Select': [1, ['a', 'b']] }, context)).toBe('b');
    expect(resolveIntrinsics({ plain: [{ Ref: 'AWS::AccountId' }] }, context)).toEqual({ plain: ['000000000000'] });
  });

  it('names what it cannot resolve, unless resolveReference answers', () => {
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'x' }, context)).toThrow(/Fn::ImportValue/);
    expect(() => resolveIntrinsics({ Ref: 'Queue' }, context)).toThrow(/Ref Queue/);
    expect(resolveIntrinsics({ Ref: 'Queue' }, { ...context, resolveReference: () => 'q' })).toBe('q');
  });
});

describe('extractDefinition', () => {
  function build(env?: { region: string; account: string }) {
    const app = new App();
    const stack = new Stack(app, 'S', env ? { env } : {});
    const inStack = new lambda.Function(stack, 'Z', {
      functionName: 'local-z',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
    });
    const task = new tasks.LambdaInvoke(stack, 'CallZ', { lambdaFunction: inStack, payloadResponseOnly: true });
    const stateMachine = new sfn.StateMachine(stack, 'M', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        task.next(new sfn.Pass(stack, 'Tag', { parameters: { 'stage.$': '$.stage', where: '${Where}' } })),
      ),
      definitionSubstitutions: { Where: 'local' },
    });
    return { stack, stateMachine };
  }

  it('gives the same plain JSON from the construct and from the synthesized template', () => {
    const { stack, stateMachine } = build({ region: 'cn-northwest-1', account: '123456789012' });
    const fromConstruct = extractDefinition(stack, stateMachine);
    expect(
      extractDefinitionFromTemplate(Template.fromStack(stack).toJSON(), {
        region: 'cn-northwest-1',
        accountId: '123456789012',
      }),
    ).toEqual(fromConstruct);
    const states = fromConstruct.States as Record<string, Record<string, unknown>>;
    expect(states.CallZ?.Resource).toBe('arn:aws-cn:lambda:cn-northwest-1:123456789012:function:local-z');
    expect(states.Tag?.Parameters).toEqual({ 'stage.$': '$.stage', where: 'local' });
  });

  it('fills an environment-agnostic stack with the options (or defaults)', () => {
    const { stack, stateMachine } = build();
    const states = extractDefinition(stack, stateMachine, { region: 'us-east-1' }).States as Record<
      string,
      Record<string, unknown>
    >;
    expect(states.CallZ?.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:local-z');
  });

  it('asks which state machine when a template has several', () => {
    const template = {
      Resources: {
        AOne: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: '{"StartAt":"A","States":{}}' },
        },
        BTwo: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: '{"StartAt":"B","States":{}}' },
        },
      },
    };
    expect(() => extractDefinitionFromTemplate(template)).toThrow(/AOne, BTwo/);
    expect(extractDefinitionFromTemplate(template, { logicalId: 'BTwo' }).StartAt).toBe('B');
    expect(extractDefinitionFromTemplate(template, { logicalId: 'A' }).StartAt).toBe('A');
  });
});

describe('prepareDefinition', () => {
  it('scales Retry, moves timeouts and waits to the engine, and keeps state types', () => {
    const prepared = prepareDefinition(
      {
        TimeoutSeconds: 99,
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'local-y', Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSecondsPath: '$.timeout',
            Retry: [
              { ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxDelaySeconds: 10 },
              { ErrorEquals: ['X'] },
            ],
            ResultPath: '$',
            Next: 'W',
          },
          W: { Type: 'Wait', Seconds: 5, OutputPath: '$.a', End: true },
        },
      },
      { retryScale: 0.5 },
    );
    const states = prepared.runnable.States as Record<string, Record<string, unknown>>;
    expect(prepared.executionTimeoutSeconds).toBe(99);
    expect(prepared.runnable.TimeoutSeconds).toBeUndefined();
    expect(states.T?.Retry).toEqual([
      { ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxDelaySeconds: 5 },
      { ErrorEquals: ['X'], IntervalSeconds: 0.5 },
    ]);
    expect(states.T?.TimeoutSecondsPath).toBeUndefined();
    expect(states.T?.ResultPath).toBeUndefined();
    expect(states.T?.Parameters).toEqual({
      parameters: { FunctionName: 'local-y', Payload: { 'token.$': '$$.Task.Token' } },
      'timeoutSeconds.$': '$.timeout',
    });
    expect(states.W).toMatchObject({ Type: 'Task', OutputPath: '$.a', End: true });
    expect(prepared.plans.get('W')).toMatchObject({ kind: 'wait', waitSeconds: 5 });
    expect(prepared.plans.get('T')).toMatchObject({ kind: 'callback', functionName: 'local-y', wrapped: true });
    expect(Object.fromEntries(prepared.stateTypes)).toEqual({ T: 'Task', W: 'Wait' });
  });

  it('reads function names from names, partial ARNs and ARNs', () => {
    expect(lambdaFunctionName('local-x')).toBe('local-x');
    expect(lambdaFunctionName('local-x:live')).toBe('local-x');
    expect(lambdaFunctionName('123456789012:function:local-x')).toBe('local-x');
    expect(lambdaFunctionName('arn:aws-cn:lambda:cn-north-1:123456789012:function:local-x:$LATEST')).toBe('local-x');
    expect(lambdaFunctionName('arn:aws:sqs:us-east-1:1:q')).toBeUndefined();
  });
});
