/**
 * Resolves the CloudFormation intrinsics that CDK leaves in a resolved state-machine graph
 * (`stack.resolve(new sfn.StateGraph(...).toGraphJson())`) to plain JSON, so the same definition
 * runs in the local runtime. Handles what a definition of Lambda tasks contains: `Ref` to pseudo
 * parameters, `Fn::Join`, and `Fn::GetAtt <LogicalId>.Arn` through a lookup. Anything else is an
 * error naming it: a silently half-resolved definition would fail much later, and obscurely.
 */

export interface PseudoParameters {
  partition: string;
  region: string;
  accountId: string;
}

/** What the local runtime uses when nothing else is said (the local stack's default region). */
export const LOCAL_PSEUDO_PARAMETERS: PseudoParameters = {
  partition: 'aws-cn',
  region: 'cn-north-1',
  accountId: '000000000000',
};

export interface ResolveOptions {
  pseudo?: Partial<PseudoParameters>;
  /** `Fn::GetAtt [logicalId, 'Arn']` of a resource in the stack, when the definition has any. */
  arnOf?: (logicalId: string) => string | undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function resolveCfnJson(value: unknown, options: ResolveOptions = {}): Json {
  const pseudo = { ...LOCAL_PSEUDO_PARAMETERS, ...options.pseudo };
  const refs: Record<string, string> = {
    'AWS::Partition': pseudo.partition,
    'AWS::Region': pseudo.region,
    'AWS::AccountId': pseudo.accountId,
    'AWS::URLSuffix': pseudo.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };

  const resolve = (node: unknown, path: string): Json => {
    if (Array.isArray(node)) return node.map((item, i) => resolve(item, `${path}[${i}]`));
    if (!isObject(node)) {
      if (node === undefined || typeof node === 'function' || typeof node === 'symbol' || typeof node === 'bigint') {
        throw new Error(`${path}: ${typeof node} is not JSON`);
      }
      return node as Json;
    }
    const keys = Object.keys(node);
    const intrinsic = keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::')) ? keys[0] : undefined;
    if (intrinsic === 'Ref') {
      const name = String(node.Ref);
      const value = refs[name];
      if (value === undefined) throw new Error(`${path}: cannot resolve Ref ${name}`);
      return value;
    }
    if (intrinsic === 'Fn::Join') {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      // The parts are strings (ARNs, names); anything else joins as its JSON text.
      return parts
        .map((part, i) => resolve(part, `${path}.Fn::Join[${i}]`))
        .map((text) => (typeof text === 'string' ? text : JSON.stringify(text)))
        .join(separator);
    }
    if (intrinsic === 'Fn::GetAtt') {
      const target = node['Fn::GetAtt'];
      const [logicalId, attribute] = Array.isArray(target) ? target.map(String) : String(target).split('.');
      const arn = attribute === 'Arn' && logicalId ? options.arnOf?.(logicalId) : undefined;
      if (arn === undefined) throw new Error(`${path}: cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
      return arn;
    }
    if (intrinsic) throw new Error(`${path}: cannot resolve ${intrinsic}`);
    // Absent fields (undefined) are dropped, as JSON.stringify would.
    return Object.fromEntries(
      Object.entries(node)
        .filter(([, child]) => child !== undefined)
        .map(([key, child]) => [key, resolve(child, `${path}.${key}`)]),
    );
  };

  return resolve(value, '$');
}
