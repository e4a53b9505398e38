/**
 * IAM policy evaluation, as much of it as the pipeline's roles use: Allow and Deny statements
 * with Action (and NotAction), Resource, and the condition operators below. An explicit Deny wins,
 * then any Allow; nothing else is allowed (no resource policies, boundaries or SCPs take part:
 * the pipeline has none on these services). A condition this evaluator does not know fails
 * closed with an error naming it, rather than being ignored.
 */

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  Sid?: string;
}

/** One authorisation IAM makes for a call: an action on a resource with its request context. */
export interface IamRequest {
  action: string;
  resource: string;
  /** Condition keys of the request, e.g. `dynamodb:LeadingKeys` (multivalued), `ses:FromAddress`. */
  context?: Record<string, string | readonly string[]>;
}

export type Decision =
  | { allowed: true; statement: PolicyStatement }
  | { allowed: false; reason: 'explicit deny' | 'no allow'; statement?: PolicyStatement };

/** Raised for a condition operator or key the local evaluator does not implement. */
export class UnsupportedConditionError extends Error {
  override name = 'UnsupportedConditionError';
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** IAM's wildcards: `*` any run of characters, `?` one character; anything else literal. */
function wildcard(pattern: string, caseInsensitive = false): RegExp {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'si' : 's');
}

const cache = new Map<string, RegExp>();
function matches(pattern: string, value: string, caseInsensitive = false): boolean {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    regex = wildcard(pattern, caseInsensitive);
    cache.set(key, regex);
  }
  return regex.test(value);
}

/** Action names are case-insensitive in IAM; resources are not. */
function actionApplies(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((a) => matches(a, action, true));
  return list(statement.Action).some((a) => matches(a, action, true));
}

const resourceApplies = (statement: PolicyStatement, resource: string) =>
  list(statement.Resource).some((r) => matches(r, resource));

type Comparison = (requestValue: string, policyValue: string) => boolean;

const COMPARISONS: Record<string, Comparison> = {
  StringEquals: (v, p) => v === p,
  StringNotEquals: (v, p) => v !== p,
  StringEqualsIgnoreCase: (v, p) => v.toLowerCase() === p.toLowerCase(),
  StringLike: (v, p) => matches(p, v),
  StringNotLike: (v, p) => !matches(p, v),
  ArnEquals: (v, p) => v === p,
  ArnLike: (v, p) => matches(p, v),
};

/** Keys whose value the local request mapping supplies; any other key fails closed. */
export const SUPPORTED_CONDITION_KEYS = new Set(['dynamodb:LeadingKeys', 'ses:FromAddress']);

function conditionHolds(operatorText: string, key: string, policyValues: readonly string[], request: IamRequest) {
  if (!SUPPORTED_CONDITION_KEYS.has(key)) {
    throw new UnsupportedConditionError(
      `condition key ${key} is not evaluated by the local IAM check (local/iam/policy.ts): add it there, or the call is refused`,
    );
  }
  const [qualifier, bare] = operatorText.includes(':') ? operatorText.split(':', 2) : [undefined, operatorText];
  const ifExists = bare?.endsWith('IfExists') ?? false;
  const operator = ifExists ? bare.slice(0, -'IfExists'.length) : (bare ?? '');
  const compare = COMPARISONS[operator];
  if (!compare || (qualifier !== undefined && qualifier !== 'ForAllValues' && qualifier !== 'ForAnyValue')) {
    throw new UnsupportedConditionError(`condition operator ${operatorText} is not evaluated by the local IAM check`);
  }
  const raw = request.context?.[key];
  const values = list(raw);
  // A negated operator is true when no policy value matches; the others when one does.
  const negated = operator.startsWith('StringNot');
  const one = (value: string) =>
    negated ? policyValues.every((p) => compare(value, p)) : policyValues.some((p) => compare(value, p));
  if (qualifier === 'ForAllValues') return values.every(one); // true for an empty set, as in IAM
  if (qualifier === 'ForAnyValue') return values.some(one);
  if (raw === undefined) return ifExists;
  if (values.length !== 1) {
    throw new UnsupportedConditionError(
      `${key} has several values in this request: use ForAllValues or ForAnyValue with it (${operatorText})`,
    );
  }
  return one(values[0]!);
}

function conditionsHold(statement: PolicyStatement, request: IamRequest): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (!conditionHolds(operator, key, list(values), request)) return false;
    }
  }
  return true;
}

const applies = (statement: PolicyStatement, request: IamRequest) =>
  actionApplies(statement, request.action) &&
  resourceApplies(statement, request.resource) &&
  conditionsHold(statement, request);

/** Whether `statements` (one role's identity policies) allow `request`. */
export function evaluate(statements: readonly PolicyStatement[], request: IamRequest): Decision {
  const deny = statements.find((s) => s.Effect === 'Deny' && applies(s, request));
  if (deny) return { allowed: false, reason: 'explicit deny', statement: deny };
  const allow = statements.find((s) => s.Effect === 'Allow' && applies(s, request));
  return allow ? { allowed: true, statement: allow } : { allowed: false, reason: 'no allow' };
}
