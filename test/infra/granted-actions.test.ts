import { describe, expect, it } from 'vitest';
import { localFunctionPolicies } from '../../local/iam/extract.ts';
import { actionsOfHandler } from './sdk-calls.ts';

/**
 * Grant exactly what each function calls. For every function the CDK app defines (every
 * PipelineFunction, found by its handler entry), the AWS actions its role is granted are compared
 * with the actions its bundle can send (./sdk-calls.ts: the SDK commands of the project files
 * that survive tree shaking, and the items of its DynamoDB transactions). Both lists must match
 * but for the differences below, each with its reason: a grant no code uses fails, and so does
 * a call no grant allows.
 */

/** Granted, though no SDK call of the handler's own asks for it. */
const GRANTED_NOT_CALLED: Record<string, Record<string, string>> = {
  '*': {
    's3:ListBucket':
      'S3 answers a missing key with 404 (not 403) only with ListBucket: a replayed event after quarantine must not look like a permissions fault',
    'sqs:SendMessage': "Lambda's own use: the asynchronous invocation's dead-letter queue is written with the role",
    'sqs:GetQueueAttributes': "Lambda's own use (the dead-letter queue)",
    'sqs:GetQueueUrl': "Lambda's own use (the dead-letter queue)",
  },
};

/**
 * Reachable in the bundle (file-level: an adapter file brings all its commands), yet never sent by
 * this function, so not granted. The local IAM check (npm start, the integration tests) refuses
 * them at run time should a change make one of them real.
 */
const CALLABLE_NOT_GRANTED: Record<string, Record<string, string>> = {
  'functions/ops.ts': {
    'dynamodb:UpdateItem':
      'the records adapter is bundled for reads; the only write is the redrive audit event (PutItem)',
    'dynamodb:DeleteItem': 'as UpdateItem',
    'dynamodb:ConditionCheckItem': 'as UpdateItem: the desk sends no transaction',
  },
  'functions/exports.ts': {
    'dynamodb:PutItem': 'the records adapter is bundled for reads: exports only read',
    'dynamodb:UpdateItem': 'as PutItem',
    'dynamodb:ConditionCheckItem': 'as PutItem',
  },
  'functions/workflow/prepare-route.ts': {
    'dynamodb:PutItem': 'reads the jurisdiction tree and the campaign only (the shared task wiring brings the writers)',
    'dynamodb:UpdateItem': 'as PutItem',
    'dynamodb:DeleteItem': 'as PutItem',
    'dynamodb:ConditionCheckItem': 'as PutItem',
  },
  'functions/workflow/check-objections.ts': {
    'dynamodb:PutItem': 'reads the objections only (the shared task wiring brings the writers)',
    'dynamodb:UpdateItem': 'as PutItem',
    'dynamodb:DeleteItem': 'as PutItem',
    'dynamodb:ConditionCheckItem': 'as PutItem',
  },
  'functions/workflow/request-review.ts': {
    'states:StopExecution':
      'the review desk (bundled) stops executions on a withdrawal, which only the reviews function handles',
  },
};

/** What an S3 command is authorised as (CopyObject reads the source and writes the target). */
const IAM_ACTIONS: Record<string, readonly string[]> = {
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
};

const policies = localFunctionPolicies({
  region: 'cn-north-1',
  tableName: 'table',
  bucketName: 'bucket',
  stateMachineArn: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:review-ladder',
  senderEmail: 'no-reply@clusters.localhost',
});

/** The role's actions on the services the handlers call (not its logs or traces). */
const grantedActions = (entry: string) =>
  [
    ...new Set(
      (policies[entry] ?? [])
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => [s.Action ?? []].flat())
        .filter((action) => !/^(logs|xray):/.test(action)),
    ),
  ].sort();

describe('granted actions against the calls each handler can make', () => {
  const entries = Object.keys(policies).sort();

  it('finds every function of the CDK app (sanity)', () => {
    expect(entries.length).toBeGreaterThanOrEqual(19);
    expect(entries).toContain('functions/ops.ts');
    expect(entries).toContain('functions/rotate-link-key.ts');
  });

  it('grants no function dynamodb:Scan', () => {
    expect(entries.filter((entry) => grantedActions(entry).includes('dynamodb:Scan'))).toEqual([]);
  });

  it.each(entries)('%s is granted exactly what it calls', { timeout: 60_000 }, async (entry) => {
    const callable = (await actionsOfHandler(entry)).flatMap((action) => IAM_ACTIONS[action] ?? [action]);
    const notGranted = CALLABLE_NOT_GRANTED[entry] ?? {};
    const notCalled = { ...GRANTED_NOT_CALLED['*'], ...GRANTED_NOT_CALLED[entry] };
    // Every listed exception is real: callable (and not granted), or granted (and not called).
    for (const action of Object.keys(notGranted)) expect(callable, `${action} listed as callable`).toContain(action);
    const granted = grantedActions(entry);
    const expected = [...new Set(callable)]
      .filter((action) => !(action in notGranted))
      .concat(granted.filter((action) => action in notCalled && !callable.includes(action)));
    expect(granted).toEqual([...new Set(expected)].sort());
  });
});
