import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { PROJECT_ROOT } from '../../infra/constructs/pipeline-function.ts';
import { definePipeline, type Pipeline, type PipelineOptions } from '../../infra/pipeline.ts';

export const TEST_ORIGINS = ['https://clusters.example.gov.cn', 'http://localhost:3000'];

/** cdk.json's context: the same feature flags as `cdk synth` (reference strength, policy merging…). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/**
 * An app with the cdk.json flags and asset bundling switched off (`aws:cdk:bundling-stacks` = []),
 * so the tests do not run esbuild on handlers that other people are still writing.
 * bundling.test.ts checks that bundling itself works.
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
}

export interface SynthesizedPipeline extends Pipeline {
  statefulTemplate: Template;
  statelessTemplate: Template;
}

let cached: SynthesizedPipeline | undefined;

/** The pipeline as app.ts builds it, synthesized once per test file. */
export function synthPipeline(): SynthesizedPipeline {
  if (!cached) {
    const pipeline = definePipeline(testApp(), { stage: 'test', allowedOrigins: TEST_ORIGINS });
    cached = {
      ...pipeline,
      statefulTemplate: Template.fromStack(pipeline.stateful),
      statelessTemplate: Template.fromStack(pipeline.stateless),
    };
  }
  return cached;
}

/** A China region and account for region-bound synths (partition aws-cn). */
export const CHINA_ENV = { region: 'cn-north-1', account: '123456789012' } as const;

/** An OpenID Connect provider for sign-in where there is no Cognito user pool (the China regions). */
export const TEST_OIDC = {
  issuer: 'https://sso.example.gov.cn/realms/clusters',
  audience: 'cluster-pipeline',
} as const;

/** The options of a build bound to cn-north-1: the region, and the sign-in provider it requires. */
export const CHINA_OPTIONS = { env: CHINA_ENV, oidc: TEST_OIDC } as const;

const variants = new Map<string, SynthesizedPipeline>();

/**
 * The pipeline with other options (a region-bound `env`, a mailer), synthesized once per test
 * file and set of options. `context` goes to the app (e.g. to keep error annotations out of the
 * validation report, so that findings can be listed rather than thrown).
 */
export function synthPipelineWith(
  options: Partial<Omit<PipelineOptions, 'stage' | 'allowedOrigins'>>,
  context: Record<string, unknown> = {},
  prepare?: (pipeline: Pipeline, app: App) => void,
): SynthesizedPipeline {
  const key = JSON.stringify([options, context, prepare?.toString()]);
  let found = variants.get(key);
  if (!found) {
    const app = testApp(context);
    const pipeline = definePipeline(app, { stage: 'test', allowedOrigins: TEST_ORIGINS, ...options });
    prepare?.(pipeline, app);
    found = {
      ...pipeline,
      statefulTemplate: Template.fromStack(pipeline.stateful),
      statelessTemplate: Template.fromStack(pipeline.stateless),
    };
    variants.set(key, found);
  }
  return found;
}

export function logicalId(stack: Stack, element: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(element.node.defaultChild as CfnElement);
}

export interface PolicyStatementJson {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of every inline policy attached to the function's role. */
export function roleStatements(template: Template, stack: Stack, fn: IFunction): PolicyStatementJson[] {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  const roleId = logicalId(stack, fn.role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export function actionsOf(statements: readonly PolicyStatementJson[]): string[] {
  return statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat());
}

/** The statements granting `action`, for checking where they point. */
export function statementsWith(statements: readonly PolicyStatementJson[], action: string): PolicyStatementJson[] {
  return statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action));
}

/** The one resource of `type` in the template (throws unless there is exactly one). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, inspected by the caller
export function onlyResource(template: Template, type: string): { Properties: any } {
  const resources = Object.values(template.findResources(type));
  const [resource] = resources;
  if (resources.length !== 1 || !resource) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resource as { Properties: unknown };
}

/**
 * How the stateless template reads `value` of the stateful stack (e.g. `{ Ref: poolId }`): a weak
 * stack-output read, as CDK writes it for references between the two stacks.
 */
export function fromStateful(pipeline: SynthesizedPipeline, value: unknown) {
  const outputs = pipeline.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
  const name = Object.keys(outputs).find(
    (key) => key.startsWith('Publish') && JSON.stringify(outputs[key]?.Value) === JSON.stringify(value),
  );
  if (!name) throw new Error(`the stateful stack publishes no output for ${JSON.stringify(value)}`);
  return {
    'Fn::GetStackOutput': {
      StackName: pipeline.stateful.stackName,
      Region: { Ref: 'AWS::Region' },
      OutputName: name,
    },
  };
}

/**
 * Imports a handler module in a fresh process with only what Lambda itself provides plus the
 * given variables (its function's environment); returns what it printed (`loaded`).
 */
export function loadWith(entry: string, variables: Record<string, string>): string {
  const script = `await import(${JSON.stringify(`${PROJECT_ROOT}/${entry}`)}); process.stdout.write('loaded');`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'cn-north-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...variables,
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
