import { CfnResource, type Stack, Token } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { type AslObject, isObject, jsonText } from './definition.ts';

/**
 * The ASL of a CDK state machine as plain JSON, for the local runtime ("one definition, two
 * runtimes"). Two routes give the same result:
 *
 * - `extractDefinition(stack, stateMachine)`: in-process, no synthesis (~100 ms): resolves the
 *   CfnStateMachine's DefinitionString with `stack.resolve()`.
 * - `extractDefinitionFromTemplate(template)`: from a synthesized template, i.e.
 *   `Template.fromStack(stack).toJSON()` (aws-cdk-lib/assertions, ~2 s) or
 *   `cdk.out/<stack>.template.json`.
 *
 * Both resolve the intrinsics CDK puts into a definition: `Fn::Join`, `Fn::Sub`, `Fn::Select`,
 * `Ref` (pseudo parameters such as AWS::Partition, and resources) and `Fn::GetAtt` (a Lambda
 * function's Arn becomes `arn:<partition>:lambda:<region>:<account>:function:<FunctionName>`),
 * then apply DefinitionSubstitutions. Anything else is an error naming it, unless
 * `resolveReference` answers.
 */

export interface ExtractOptions {
  /** Default: the stack's region if concrete, else AWS_REGION, else cn-north-1. */
  region?: string;
  /** Default: from the region (aws-cn for cn-*, else aws). */
  partition?: string;
  /** Default: the stack's account if concrete, else 000000000000. */
  accountId?: string;
  /**
   * Resolves a `Ref` or `Fn::GetAtt` on a resource the resolver cannot (return undefined to
   * fail). `resource` is the resource as the template has it, when known.
   */
  resolveReference?: (reference: { logicalId: string; attribute?: string; resource?: TemplateResource }) => unknown;
}

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources?: Record<string, TemplateResource>;
}

const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';

/** The definition of `stateMachine` (an sfn.StateMachine or its CfnStateMachine) in `stack`. */
export function extractDefinition(stack: Stack, stateMachine: IConstruct, options: ExtractOptions = {}): AslObject {
  const cfn = findCfnStateMachine(stateMachine);
  const resource: TemplateResource = {
    Type: STATE_MACHINE_TYPE,
    Properties: {
      DefinitionString: stack.resolve(cfn.definitionString),
      Definition: stack.resolve(cfn.definition),
      DefinitionSubstitutions: stack.resolve(cfn.definitionSubstitutions),
    },
  };
  const lookup = (logicalId: string): TemplateResource | undefined => {
    for (const child of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(child) || stack.resolve(child.logicalId) !== logicalId) continue;
      if (child instanceof CfnFunction) {
        return { Type: child.cfnResourceType, Properties: { FunctionName: stack.resolve(child.functionName) } };
      }
      return { Type: child.cfnResourceType };
    }
    return undefined;
  };
  const concrete = (value: string | undefined) =>
    value !== undefined && !Token.isUnresolved(value) ? value : undefined;
  return definitionOf(resource, lookup, {
    ...options,
    region: options.region ?? concrete(stack.region),
    accountId: options.accountId ?? concrete(stack.account),
  });
}

/**
 * The definition of a state machine in a synthesized template. With several state machines,
 * pass the logical ID (or its CDK prefix, e.g. 'ReviewLadder').
 */
export function extractDefinitionFromTemplate(
  template: CfnTemplate,
  options: ExtractOptions & { logicalId?: string } = {},
): AslObject {
  const resources = template.Resources ?? {};
  const machines = Object.entries(resources).filter(
    ([id, resource]) =>
      resource.Type === STATE_MACHINE_TYPE && (options.logicalId === undefined || id.startsWith(options.logicalId)),
  );
  const exact = machines.find(([id]) => id === options.logicalId);
  const chosen = exact ?? (machines.length === 1 ? machines[0] : undefined);
  if (!chosen) {
    const ids = machines.map(([id]) => id).join(', ') || 'none';
    throw new Error(
      `expected one ${STATE_MACHINE_TYPE}${options.logicalId ? ` matching ${options.logicalId}` : ''}; found ${ids}`,
    );
  }
  return definitionOf(chosen[1], (id) => resources[id], options);
}

function findCfnStateMachine(construct: IConstruct): CfnStateMachine {
  const candidates = [construct, construct.node.defaultChild];
  for (const candidate of candidates) {
    if (candidate instanceof CfnStateMachine) return candidate;
  }
  throw new Error(`${construct.node.path} is not a state machine (no ${STATE_MACHINE_TYPE} resource)`);
}

function definitionOf(
  resource: TemplateResource,
  lookup: (logicalId: string) => TemplateResource | undefined,
  options: ExtractOptions,
): AslObject {
  const region = options.region ?? process.env.AWS_REGION ?? 'cn-north-1';
  const partition =
    options.partition ?? (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
  const context: ResolveContext = {
    pseudo: {
      'AWS::Partition': partition,
      'AWS::Region': region,
      'AWS::AccountId': options.accountId ?? '000000000000',
      'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
      'AWS::StackName': 'local',
      'AWS::NoValue': undefined,
    },
    lookup,
    resolveReference: options.resolveReference,
  };
  const properties = Object.fromEntries(
    Object.entries(resource.Properties ?? {}).filter(([, value]) => value !== undefined),
  );
  const substitutions = resolveIntrinsics(properties.DefinitionSubstitutions ?? {}, context);
  let definition: unknown;
  if (properties.DefinitionString !== undefined) {
    const text = resolveIntrinsics(properties.DefinitionString, context);
    if (typeof text !== 'string') throw new Error('DefinitionString did not resolve to a string');
    definition = JSON.parse(substitute(text, substitutions));
  } else if (properties.Definition !== undefined) {
    definition = JSON.parse(
      substitute(JSON.stringify(resolveIntrinsics(properties.Definition, context)), substitutions),
    );
  } else {
    throw new Error(
      'the state machine has neither DefinitionString nor Definition (DefinitionS3Location is not supported)',
    );
  }
  if (!isObject(definition)) throw new Error('the definition is not a JSON object');
  return definition;
}

function substitute(text: string, substitutions: unknown): string {
  if (!isObject(substitutions)) return text;
  return text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
    const value = substitutions[key];
    return value === undefined ? whole : jsonText(value);
  });
}

export interface ResolveContext {
  pseudo: Record<string, string | undefined>;
  lookup: (logicalId: string) => TemplateResource | undefined;
  resolveReference?: ExtractOptions['resolveReference'];
}

/** Resolves CloudFormation intrinsics in a value to plain JSON. */
export function resolveIntrinsics(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, context));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'Ref') return resolveRef(String(value.Ref), context);
  if (only === 'Fn::GetAtt') {
    const target = value['Fn::GetAtt'];
    const [logicalId, ...attribute] = Array.isArray(target) ? target.map(String) : String(target).split('.');
    return resolveGetAtt(String(logicalId), attribute.join('.'), context);
  }
  if (only === 'Fn::Join') {
    const [separator, parts] = value['Fn::Join'] as [string, unknown];
    const resolved = resolveIntrinsics(parts, context);
    if (!Array.isArray(resolved)) throw new Error('Fn::Join needs a list');
    return resolved.map(String).join(separator);
  }
  if (only === 'Fn::Select') {
    const [index, list] = value['Fn::Select'] as [unknown, unknown];
    const resolved = resolveIntrinsics(list, context);
    if (!Array.isArray(resolved)) throw new Error('Fn::Select needs a list');
    return resolved[Number(resolveIntrinsics(index, context))];
  }
  if (only === 'Fn::Sub') {
    const sub = value['Fn::Sub'];
    const [template, variables] = Array.isArray(sub)
      ? [String(sub[0]), resolveIntrinsics(sub[1] ?? {}, context)]
      : [String(sub), {}];
    return template.replace(/\$\{([^}!][^}]*)\}/g, (_whole, name: string) => {
      if (isObject(variables) && name in variables) return String(variables[name]);
      if (name.includes('.')) {
        const [logicalId, ...attribute] = name.split('.');
        return String(resolveGetAtt(String(logicalId), attribute.join('.'), context));
      }
      return String(resolveRef(name, context));
    });
  }
  if (only?.startsWith('Fn::')) throw new Error(`cannot resolve ${only} locally`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v, context)]));
}

function resolveRef(name: string, context: ResolveContext): unknown {
  if (name in context.pseudo) return context.pseudo[name];
  const resource = context.lookup(name);
  const answered = context.resolveReference?.({ logicalId: name, resource });
  if (answered !== undefined) return answered;
  if (resource?.Type === 'AWS::Lambda::Function') return functionName(name, resource);
  throw new Error(`cannot resolve Ref ${name}${resource ? ` (${resource.Type})` : ''}: pass resolveReference`);
}

function resolveGetAtt(logicalId: string, attribute: string, context: ResolveContext): unknown {
  const resource = context.lookup(logicalId);
  const answered = context.resolveReference?.({ logicalId, attribute, resource });
  if (answered !== undefined) return answered;
  if (resource?.Type === 'AWS::Lambda::Function' && attribute === 'Arn') {
    const { 'AWS::Partition': partition, 'AWS::Region': region, 'AWS::AccountId': account } = context.pseudo;
    return `arn:${partition}:lambda:${region}:${account}:function:${functionName(logicalId, resource)}`;
  }
  throw new Error(
    `cannot resolve Fn::GetAtt ${logicalId}.${attribute}${resource ? ` (${resource.Type})` : ''}: pass resolveReference`,
  );
}

function functionName(logicalId: string, resource: TemplateResource): string {
  const name = resource.Properties?.FunctionName;
  return typeof name === 'string' ? name : logicalId;
}
