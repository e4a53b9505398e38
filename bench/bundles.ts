/**
 * Bundle size and cold import time of every handler: our build (the bundling options the CDK
 * construct uses) against a CDK-default build of the same entry (CommonJS, unminified, AWS SDK
 * left to the runtime). Import time is measured in fresh Node processes, alternating builds,
 * and reported as a ratio measured in this run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { pipelineBundling } from '../infra/constructs/pipeline-function.ts';
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
}

async function buildOurs(entry: string, outfile: string): Promise<void> {
  const options = pipelineBundling({ bundleAwsSdk: true });
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    minify: options.minify,
    sourcemap: options.sourceMap,
    sourcesContent: options.sourcesContent,
    format: 'esm',
    mainFields: options.mainFields,
    target: options.target,
    banner: { js: options.banner ?? '' },
    loader: { '.json': 'json' },
    external: options.externalModules ?? [],
    logLevel: 'error',
  });
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
  const handlers = { ...API_FUNCTIONS, ...EVENT_FUNCTIONS, ...SCHEDULED_FUNCTIONS };
  const figures: BundleFigures[] = [];
  for (const [name, spec] of Object.entries(handlers)) {
    const ours = join(outDir, `${name}.mjs`);
    const cdkDefault = join(outDir, `${name}.default.cjs`);
    await buildOurs(spec.entry, ours);
    await buildCdkDefault(spec.entry, cdkDefault);
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
    });
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchBundles());
}
