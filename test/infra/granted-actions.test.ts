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
  'functions/reviews.ts': {
    's3:GetObjectVersion':
      'download links name the pinned version (VersionId), which S3 authorises as GetObjectVersion, not GetObject',
  },
  'functions/validator.ts': {
    's3:GetObjectVersion': 'reads and checks the pinned version (VersionId): S3 authorises that as GetObjectVersion',
  },
  'functions/packages.ts': {
    's3:GetObjectVersion': 'download links name the version built (VersionId), which S3 authorises as GetObjectVersion',
  },
  'functions/package-builder.ts': {
    's3:GetObjectVersion':
      'packs the pinned version of each evidence file (VersionId): S3 authorises that as GetObjectVersion',
    's3:AbortMultipartUpload':
      'the multipart upload (@aws-sdk/lib-storage, whose commands this scan does not see) aborts a failed upload',
  },
};

/** The reviewer directory's file is bundled for lookups; its gap listing (BatchGet) is the ops console's. */
const REVIEWER_GAPS =
  'the reviewer directory is bundled to look reviewers up; only the ops console lists the gaps (BatchGetItem)';
/** The mailer module chooses SES or SMTP at run time; these policies are the SES build's. */
const SMTP_SECRET =
  'the SMTP settings secret is read, and granted, only in an SMTP build (-c mailer=smtp: test/infra/mail.test.ts)';

/**
 * Reachable in the bundle (file-level: an adapter file brings all its commands), yet never sent by
 * this function, so not granted. The local IAM check (npm start, the integration tests) refuses
 * them at run time should a change make one of them real.
 */
const CALLABLE_NOT_GRANTED: Record<string, Record<string, string>> = {
  'functions/ops.ts': {
    'dynamodb:DeleteItem':
      'the records adapter is bundled for reads; the writes are the redrive audit event (PutItem) and the limiter’s LIMIT# counters (UpdateItem)',
    'dynamodb:ConditionCheckItem': 'as DeleteItem: the desk sends no transaction',
  },
  'functions/exports.ts': {
    'dynamodb:PutItem': 'the records adapter is bundled for reads: exports only read',
    'dynamodb:UpdateItem': 'as PutItem',
    'dynamodb:ConditionCheckItem': 'as PutItem',
    'dynamodb:DeleteItem': 'as PutItem',
    'dynamodb:BatchGetItem': REVIEWER_GAPS,
  },
  'functions/reviews.ts': { 'dynamodb:BatchGetItem': REVIEWER_GAPS },
  'functions/package-builder.ts': {
    'dynamodb:PutItem':
      'the records adapter is bundled to list evidence; the builder writes only its package (UpdateItem)',
    'dynamodb:DeleteItem': 'as PutItem',
    'dynamodb:ConditionCheckItem': 'as PutItem',
    'dynamodb:BatchGetItem': 'as PutItem: the summary table reads by Query',
    's3:DeleteObject':
      'the evidence reader shares its file with the validator’s quarantine; the builder only reads evidence',
  },
  'functions/validator.ts': {
    'dynamodb:DeleteItem':
      'the records adapter’s removals (an evidence item, a renamed draft’s guard) share its file; the validator removes no item',
    // The formal-letter gate decides through the review desk's decision path (its store and task control are bundled).
    'dynamodb:BatchGetItem': REVIEWER_GAPS,
    'states:StopExecution':
      'the task control (bundled for the formal-letter gate’s SendTaskSuccess) also stops executions, which only the reviews function does',
    // The gate's full-quota notice goes through the mailer module.
    'secretsmanager:GetSecretValue': SMTP_SECRET,
  },
  'functions/register.ts': {
    'dynamodb:DeleteItem':
      'the records adapter is bundled for the typical-case migration’s one transaction (the record, its audit event, the tallies); it removes no item',
    'dynamodb:ConditionCheckItem': 'as DeleteItem: the migration’s transaction checks no other item',
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
  'functions/workflow/close-application.ts': { 'secretsmanager:GetSecretValue': SMTP_SECRET },
  'functions/workflow/mark-returned.ts': { 'secretsmanager:GetSecretValue': SMTP_SECRET },
  'functions/workflow/recognize.ts': { 'secretsmanager:GetSecretValue': SMTP_SECRET },
  'functions/workflow/start-public-notice.ts': { 'secretsmanager:GetSecretValue': SMTP_SECRET },
  'functions/workflow/request-review.ts': {
    'dynamodb:BatchGetItem': REVIEWER_GAPS,
    'states:StopExecution':
      'the review desk (bundled) stops executions on a withdrawal, which only the reviews function handles',
  },
};

/** What an S3 command is authorised as (CopyObject reads the source and writes the target). */
const IAM_ACTIONS: Record<string, readonly string[]> = {
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
  // There is no s3:HeadObject action: HEAD is authorised as GetObject.
  's3:HeadObject': ['s3:GetObject'],
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
