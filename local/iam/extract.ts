import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnResource, type Stack } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { PipelineFunction, PROJECT_ROOT } from '../../infra/constructs/pipeline-function.ts';
import { definePipeline, type PipelineOptions } from '../../infra/pipeline.ts';
import type { PolicyStatement } from './policy.ts';

/**
 * Each function's IAM policy as the CDK app grants it, with its references turned into the local
 * resources' ARNs: the app is built in-process (no synthesis, no bundling: `stack.resolve()` on
 * each role's policies, as local/stepfunctions/extract.ts does for the state machine), every
 * PipelineFunction is found by its handler entry, and the statements attached to its role are
 * resolved. A grant added anywhere in infra/ is picked up as it is; a function added to the
 * catalog is found because every handler is a PipelineFunction.
 */

export interface LocalResources {
  region: string;
  /** Default 000000000000 (the local Step Functions runtime's account). */
  accountId?: string;
  tableName: string;
  bucketName: string;
  /** The local ARN of the review ladder (its CDK state machine's references resolve to it). */
  stateMachineArn?: string;
  /** The local From address: the stack is built with it, so ses:FromAddress conditions name it. */
  senderEmail: string;
}

/** Handler entry (e.g. `functions/ops.ts`) → the statements of its role's policies. */
export type FunctionPolicies = Record<string, PolicyStatement[]>;

export const partitionOf = (region: string) =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

/** The pipeline as `cdk synth` builds it (cdk.json's feature flags), without bundling. */
export function buildPipeline(local: Pick<LocalResources, 'senderEmail'>, options: Partial<PipelineOptions> = {}) {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const pipeline = definePipeline(app, {
    stage: 'local',
    // Origins shape CORS only, never a grant.
    allowedOrigins: ['http://127.0.0.1:3000'],
    senderEmail: local.senderEmail,
    mailer: 'ses',
    ...options,
  });
  return { app, pipeline, stacks: [pipeline.stateful, pipeline.stateless] as Stack[] };
}

export function functionPolicies(local: LocalResources, stacks: readonly Stack[]): FunctionPolicies {
  const resolver = new LocalResolver(local, stacks);
  const policies: FunctionPolicies = {};
  for (const stack of stacks) {
    const cfnPolicies = stack.node.findAll().filter((c): c is CfnPolicy => c instanceof CfnPolicy);
    for (const fn of stack.node.findAll().filter((c): c is PipelineFunction => c instanceof PipelineFunction)) {
      const roleId = fn.role
        ? (stack.resolve((fn.role.node.defaultChild as CfnResource).logicalId) as string)
        : undefined;
      const statements: PolicyStatement[] = [];
      for (const policy of cfnPolicies) {
        const roles = (stack.resolve(policy.roles) as { Ref?: string }[] | undefined) ?? [];
        if (!roles.some((role) => role.Ref === roleId)) continue;
        const document = stack.resolve(policy.policyDocument) as { Statement?: unknown[] };
        for (const statement of document.Statement ?? []) statements.push(resolver.statement(statement));
      }
      policies[fn.entry] = statements;
    }
  }
  return policies;
}

/** One call: the local policies of every function the CDK app defines. */
export function localFunctionPolicies(local: LocalResources, options: Partial<PipelineOptions> = {}): FunctionPolicies {
  return functionPolicies(local, buildPipeline(local, options).stacks);
}

interface Found {
  type: string;
  props: Record<string, unknown>;
}

/** Resolves CloudFormation intrinsics in a policy to the local stand-ins' names and ARNs. */
class LocalResolver {
  private readonly partition: string;
  private readonly account: string;
  private readonly resources = new Map<string, Found>();
  /** CDK state machine name → the local one, for ARNs built from the name. */
  private readonly machineNames = new Map<string, string>();

  constructor(
    private readonly local: LocalResources,
    stacks: readonly Stack[],
  ) {
    this.partition = partitionOf(local.region);
    this.account = local.accountId ?? '000000000000';
    for (const stack of stacks) {
      for (const child of stack.node.findAll()) {
        if (!CfnResource.isCfnResource(child)) continue;
        const id = stack.resolve(child.logicalId) as string;
        const type = child.cfnResourceType;
        const props = (
          type === 'AWS::StepFunctions::StateMachine'
            ? { StateMachineName: stack.resolve((child as unknown as { stateMachineName?: string }).stateMachineName) }
            : {}
        ) as Record<string, unknown>;
        this.resources.set(id, { type, props });
        const cdkName = props.StateMachineName;
        const localName = local.stateMachineArn?.split(':').at(-1);
        if (typeof cdkName === 'string' && localName) this.machineNames.set(cdkName, localName);
      }
    }
  }

  statement(raw: unknown): PolicyStatement {
    const resolved = this.value(raw) as PolicyStatement;
    const rename = (resource: string) => this.renameMachine(resource);
    if (typeof resolved.Resource === 'string') resolved.Resource = rename(resolved.Resource);
    else if (Array.isArray(resolved.Resource)) resolved.Resource = resolved.Resource.map(rename);
    return resolved;
  }

  private renameMachine(resource: string): string {
    if (!resource.includes(':states:')) return resource;
    let renamed = resource;
    for (const [cdkName, localName] of this.machineNames) {
      renamed = renamed
        .replace(`:stateMachine:${cdkName}`, `:stateMachine:${localName}`)
        .replace(`:execution:${cdkName}:`, `:execution:${localName}:`);
    }
    return renamed;
  }

  private value(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.value(item));
    if (!node || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [first] = entries;
    if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
      return this.intrinsic(first[0], first[1]);
    }
    return Object.fromEntries(entries.map(([key, value]) => [key, this.value(value)]));
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(String(argument));
      case 'Fn::GetAtt': {
        const [id, attribute] = (typeof argument === 'string' ? argument.split('.') : argument) as [string, string];
        return this.getAtt(id, attribute);
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.value(parts) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, items] = argument as [unknown, unknown];
        return (this.value(items) as unknown[])[Number(this.value(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return String(this.value(source)).split(separator);
      }
      case 'Fn::Sub': {
        const [template, variables = {}] = (typeof argument === 'string' ? [argument] : argument) as [
          string,
          Record<string, unknown>?,
        ];
        return template.replace(/\$\{([^}]+)\}/g, (_, reference: string) => {
          if (reference in variables) return String(this.value(variables[reference]));
          const [id, attribute] = reference.split('.');
          return String(attribute ? this.getAtt(id ?? '', attribute) : this.ref(reference));
        });
      }
      default:
        throw new Error(`local IAM: cannot resolve ${name} in a function's policy (local/iam/extract.ts)`);
    }
  }

  private ref(id: string): string {
    const { region } = this.local;
    switch (id) {
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::URLSuffix':
        return this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    }
    const found = this.resources.get(id);
    switch (found?.type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return this.local.tableName;
      case 'AWS::S3::Bucket':
        return this.local.bucketName;
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SecretsManager::Secret':
        return this.getAtt(id, 'Arn');
      default:
        return this.placeholder(id);
    }
  }

  private getAtt(id: string, attribute: string): string {
    const found = this.resources.get(id);
    if (attribute !== 'Arn') return this.placeholder(`${id}.${attribute}`);
    const { region } = this.local;
    const prefix = (service: string, withRegion = true) =>
      `arn:${this.partition}:${service}:${withRegion ? region : ''}:${withRegion ? this.account : ''}`;
    switch (found?.type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return `${prefix('dynamodb')}:table/${this.local.tableName}`;
      case 'AWS::S3::Bucket':
        return `${prefix('s3', false)}:${this.local.bucketName}`;
      case 'AWS::StepFunctions::StateMachine':
        return this.local.stateMachineArn ?? this.placeholder(id);
      case 'AWS::SecretsManager::Secret':
        // No Secrets Manager runs locally (the link key is a file): a stable ARN per secret.
        return `${prefix('secretsmanager')}:secret:${id}`;
      case 'AWS::Logs::LogGroup':
        return `${prefix('logs')}:log-group:${id}:*`;
      default:
        return this.placeholder(id);
    }
  }

  /** Resources the local runtime has no stand-in for: an ARN no local call names. */
  private placeholder(id: string): string {
    return `arn:${this.partition}:local-unresolved:${this.local.region}:${this.account}:${id}`;
  }
}
