import { type IamCheckOptions, installIamCheck } from './enforce.ts';
import { policiesKey, readCachedPolicies, writeCachedPolicies } from './cache.ts';
import type { FunctionPolicies, LocalResources } from './extract.ts';

export { asFunction, AccessDeniedError } from './enforce.ts';
export type { FunctionPolicies } from './extract.ts';

/** The local stack's `iam` option: on (the default), off, or on with the policies changed (tests). */
export type LocalIamOption = boolean | { adjust: (policies: FunctionPolicies) => FunctionPolicies };

export interface LocalIamCheck {
  /**
   * Resolves the policies to the local resources (once the state machines have their local ARNs);
   * calls are refused until then.
   */
  load(resources: Omit<LocalResources, 'region' | 'senderEmail'>): Promise<void>;
  /** Each function's statements, once loaded. */
  readonly policies: FunctionPolicies | undefined;
  uninstall(): void;
}

/**
 * The local IAM check of a local stack (see ./enforce.ts). The hook is installed at once, before
 * any handler module is imported (they build their clients as they load). `load` resolves the
 * policies when the local ARNs are known: from the cache (./cache.ts) when nothing they come from
 * changed, else by building the CDK app (seconds: aws-cdk-lib and every construct).
 */
export function startIamCheck(options: {
  region: string;
  senderEmail: string;
  option: Exclude<LocalIamOption, false>;
  stateMachineOfToken: (token: string) => string | undefined;
  log: { warn: (message: string) => void };
  /** The repository root, and where resolved policies are cached. */
  root: string;
  cacheDir: string;
}): LocalIamCheck {
  const check: IamCheckOptions = {
    partition: options.region.startsWith('cn-')
      ? 'aws-cn'
      : options.region.startsWith('us-gov-')
        ? 'aws-us-gov'
        : 'aws',
    region: options.region,
    accountId: '000000000000',
    stateMachineOfToken: options.stateMachineOfToken,
    onDenied: ({ message }) => options.log.warn(`IAM: ${message}`),
  };
  const uninstall = installIamCheck(check);
  return {
    async load(resources) {
      const local = {
        ...resources,
        region: options.region,
        accountId: check.accountId,
        senderEmail: options.senderEmail,
      };
      const key = await policiesKey(options.root, local);
      let policies = await readCachedPolicies(options.cacheDir, key);
      if (!policies) {
        // Imported here: aws-cdk-lib's constructs are only needed when the cache misses.
        const { localFunctionPolicies } = await import('./extract.ts');
        policies = localFunctionPolicies(local);
        await writeCachedPolicies(options.cacheDir, key, policies);
      }
      check.policies = typeof options.option === 'object' ? options.option.adjust(policies) : policies;
    },
    get policies() {
      return check.policies;
    },
    uninstall,
  };
}
