/**
 * Bundle size and cold import time of every handler: our build (the bundling options the CDK
 * construct uses) against a CDK-default build of the same entry (CommonJS, unminified, AWS SDK
 * left to the runtime). Import time is measured in fresh Node processes, alternating builds,
 * and reported as a ratio measured in this run. Each row also names the AWS SDK clients the
 * bundle carries (from esbuild's metafile): a handler should carry only what its composition
 * wires, and test/infra/bundle-clients.test.ts holds each handler to its list.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { pipelineBundling } from '../infra/constructs/pipeline-function.ts';
import { WORKFLOW_TASKS } from '../shared/ladder/tasks.ts';
import { API_FUNCTIONS, EVENT_FUNCTIONS, SCHEDULED_FUNCTIONS } from '../shared/platform/functions.ts';

const root = resolve(import.meta.dirname, '..');
// Inside the repository so the CDK-default build's external SDK resolves from node_modules.
const outDir = join(root, '.bench-out');

export interface BundleFigures {
  name: string;
  bytes: number;
  defaultBytes: number;
  importMs: number;
  defaultImportMs: number;
  importRatio: number;
  /** AWS SDK clients and helpers in the bundle (`@aws-sdk/client-s3`, `@aws-sdk/lib-dynamodb`…), sorted. */
  sdkClients: readonly string[];
}

/**
 * Every handler the stacks deploy, by the name the stateless stack gives its function: the
 * catalog's API, event and scheduled functions, and the ladder's tasks as `ladder<Task>`.
 */
export function handlerEntries(): Record<string, string> {
  const catalog = { ...API_FUNCTIONS, ...EVENT_FUNCTIONS, ...SCHEDULED_FUNCTIONS };
  return {
    ...Object.fromEntries(Object.entries(catalog).map(([name, spec]) => [name, spec.entry])),
    ...Object.fromEntries(
      Object.entries(WORKFLOW_TASKS).map(([key, spec]) => [
        `ladder${key.charAt(0).toUpperCase()}${key.slice(1)}`,
        spec.entry,
      ]),
    ),
  };
}

/** The esbuild options of our build (the CDK construct's bundling), for `entry` under the root. */
function ourBuildOptions(entry: string) {
  const options = pipelineBundling({ bundleAwsSdk: true });
  return {
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    mainFields: options.mainFields,
    target: options.target,
    banner: { js: options.banner ?? '' },
    loader: { '.json': 'json' as const },
    external: options.externalModules ?? [],
    logLevel: 'error' as const,
  };
}

/**
 * The metafile of the handler's bundle, built in memory: the same resolution as our build (module
 * fields, externals), so the same code reaches the output; unminified, since only what went in
 * is read.
 */
export async function bundleMetafile(entry: string): Promise<Metafile> {
  const result = await build({
    ...ourBuildOptions(entry),
    outfile: join(outDir, 'metafile-only.mjs'),
    write: false,
    metafile: true,
  });
  return result.metafile;
}

// The SDK's service clients (`client-*`), the document client (`lib-dynamodb`) and the S3
// helpers (`s3-presigned-post`, `s3-request-presigner`); not the shared core packages every
// client pulls in (`core`, `middleware-*`, `util-*`…).
const SDK_CLIENT_PATH = /(?:^|\/)node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-[a-z0-9-]+|s3-[a-z0-9-]+))\//;

/**
 * The AWS SDK clients and helpers whose code is in the bundle, sorted. Read from the output's
 * inputs (bytes that survived tree shaking), not from every module esbuild parsed: a module that
 * imports a client it never uses leaves no bytes of it behind.
 */
export function sdkClientsIn(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const client = SDK_CLIENT_PATH.exec(input)?.[1];
      if (client && bytesInOutput > 0) found.add(client);
    }
  }
  return [...found].sort();
}

async function buildOurs(entry: string, outfile: string): Promise<Metafile> {
  const options = pipelineBundling({ bundleAwsSdk: true });
  const result = await build({
    ...ourBuildOptions(entry),
    outfile,
    minify: options.minify,
    sourcemap: options.sourceMap,
    sourcesContent: options.sourcesContent,
    metafile: true,
  });
  return result.metafile;
}

/** What NodejsFunction does when given nothing: CommonJS, no minification, SDK external. */
async function buildCdkDefault(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
}

const HANDLER_ENV = {
  ...process.env,
  TABLE_NAME: 'bench',
  BUCKET_NAME: 'bench',
  STATE_MACHINE_ARN: 'arn:aws:states:cn-north-1:000000000000:stateMachine:bench',
  SENDER_EMAIL: 'no-reply@clusters.localhost',
  PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
  AWS_REGION: 'cn-north-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function importMs(file: string, enableSourceMaps: boolean): number {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t));`;
  const args = [...(enableSourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', script];
  return Number(execFileSync(process.execPath, args, { env: HANDLER_ENV, encoding: 'utf8' }));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function benchBundles(runs = 7): Promise<BundleFigures[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const figures: BundleFigures[] = [];
  for (const [name, entry] of Object.entries(handlerEntries())) {
    const ours = join(outDir, `${name}.mjs`);
    const cdkDefault = join(outDir, `${name}.default.cjs`);
    const metafile = await buildOurs(entry, ours);
    await buildCdkDefault(entry, cdkDefault);
    const oursMs: number[] = [];
    const defaultMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Lambda runs ours with --enable-source-maps (set by the construct), so measure it so.
      oursMs.push(importMs(ours, true));
      defaultMs.push(importMs(cdkDefault, false));
    }
    const importOurs = median(oursMs);
    const importDefault = median(defaultMs);
    figures.push({
      name,
      bytes: statSync(ours).size,
      defaultBytes: statSync(cdkDefault).size,
      importMs: importOurs,
      defaultImportMs: importDefault,
      importRatio: importOurs / importDefault,
      sdkClients: sdkClientsIn(metafile),
    });
  }
  return figures;
}

/** The figures as `npm run bench` prints them: size, cold import against a CDK-default build, SDK clients. */
export function bundlesReport(figures: readonly BundleFigures[]): string[] {
  const width = Math.max(...figures.map((row) => row.name.length));
  const short = (client: string) => client.replace('@aws-sdk/', '');
  return [
    'Handler bundles: ours (minified ESM, SDK bundled) vs a CDK-default build of the same entry',
    `  ${'handler'.padEnd(width)}  bundle    CDK default   import   CDK default   import ratio   SDK clients bundled`,
    ...figures.map(
      (row) =>
        `  ${row.name.padEnd(width)} ${(row.bytes / 1000).toFixed(0).padStart(5)} KB  ${(row.defaultBytes / 1000).toFixed(0).padStart(8)} KB` +
        `  ${row.importMs.toFixed(0).padStart(5)} ms  ${row.defaultImportMs.toFixed(0).padStart(8)} ms   ${row.importRatio.toFixed(2).padStart(12)}` +
        `   ${row.sdkClients.map(short).join(', ') || 'none'}`,
    ),
    '  (bundle goal ≤ 200 KB; import ratio goal ≤ 0.5; import measured in fresh Node processes, median of 7, ours with --enable-source-maps)',
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of bundlesReport(await benchBundles())) console.log(line);
}
