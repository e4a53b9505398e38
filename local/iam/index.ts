import { type IamCheckOptions, installIamCheck } from './enforce.ts';
import { type FunctionPolicies, type LocalResources, localFunctionPolicies, partitionOf } from './extract.ts';

export { asFunction, AccessDeniedError } from './enforce.ts';
export type { FunctionPolicies } from './extract.ts';

/** The local stack's `iam` option: on (the default), off, or on with the policies changed (tests). */
export type LocalIamOption = boolean | { adjust: (policies: FunctionPolicies) => FunctionPolicies };

export interface LocalIamCheck {
  /** Loads the policies from the CDK app, resolved to the local resources; calls are refused until then. */
  load(resources: Omit<LocalResources, 'region'>): void;
  /** Each function's statements, once loaded. */
  readonly policies: FunctionPolicies | undefined;
  uninstall(): void;
}

/**
 * The local IAM check of a local stack (see ./enforce.ts): installed before any handler module
 * is imported (they build their clients as they load), loaded once the state machines have their
 * local ARNs (policies name them).
 */
export function startIamCheck(options: {
  region: string;
  option: Exclude<LocalIamOption, false>;
  stateMachineOfToken: (token: string) => string | undefined;
  log: { warn: (message: string) => void };
}): LocalIamCheck {
  const check: IamCheckOptions = {
    partition: partitionOf(options.region),
    region: options.region,
    accountId: '000000000000',
    stateMachineOfToken: options.stateMachineOfToken,
    onDenied: ({ message }) => options.log.warn(`IAM: ${message}`),
  };
  const uninstall = installIamCheck(check);
  return {
    load(resources) {
      const policies = localFunctionPolicies({ ...resources, region: options.region, accountId: check.accountId });
      check.policies = typeof options.option === 'object' ? options.option.adjust(policies) : policies;
    },
    get policies() {
      return check.policies;
    },
    uninstall,
  };
}
