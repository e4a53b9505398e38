import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineFunction, pipelineBundling } from '../../infra/constructs/pipeline-function.ts';
import { cdkJsonContext, logicalId } from './helpers.ts';

const ENTRY = 'test/infra/fixtures/bundle-probe.ts';
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Really bundles one function with local esbuild (no Docker) and returns its asset folder. */
function bundle(options: { bundleAwsSdk: boolean }): string {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-bundling-test-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: cdkJsonContext() });
  const stack = new Stack(app, 'BundlingProbe');
  const fn = new PipelineFunction(stack, 'Probe', { entry: ENTRY, bundleAwsSdk: options.bundleAwsSdk });
  const code = Template.fromStack(stack).toJSON().Resources[logicalId(stack, fn)].Properties.Code;
  const assetDir = join(outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);
  expect(existsSync(assetDir), `asset folder ${assetDir}`).toBe(true);
  return assetDir;
}

describe('pipelineBundling', () => {
  it('asks for a minified ESM bundle for Node 22 with source maps and a require shim', () => {
    expect(pipelineBundling({ bundleAwsSdk: true })).toMatchObject({
      minify: true,
      sourceMap: true,
      format: OutputFormat.ESM,
      mainFields: ['module', 'main'],
      target: 'node22',
      banner: expect.stringMatching(/createRequire.*\(import\.meta\.url\)/),
      bundleAwsSDK: true,
      externalModules: [],
    });
    expect(pipelineBundling({ bundleAwsSdk: false }).externalModules).toEqual(['@aws-sdk/*', '@smithy/*']);
  });
});

describe('bundling with local esbuild', () => {
  it('produces an ES module that runs: JSON import attributes, CommonJS require, bundled SDK', async () => {
    const assetDir = bundle({ bundleAwsSdk: true });
    const file = join(assetDir, 'index.mjs');
    const source = readFileSync(file, 'utf8');
    expect(source.startsWith("import { createRequire as __pipelineCreateRequire } from 'node:module';")).toBe(true);
    expect(source).not.toMatch(/from\s*"@aws-sdk\//);
    expect(source).toContain('//# sourceMappingURL=index.mjs.map');

    const map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8'));
    expect(map.sources.some((s: string) => s.endsWith('bundle-probe.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();

    const { handler } = await import(pathToFileURL(file).href);
    await expect(handler()).resolves.toEqual({
      provinces: 31,
      beijing: '北京市',
      digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      sdk: 'function',
    });
  });

  it('leaves @aws-sdk/* to the runtime when bundleAwsSdk is false', () => {
    const external = readFileSync(join(bundle({ bundleAwsSdk: false }), 'index.mjs'), 'utf8');
    expect(external).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    const bundled = bundle({ bundleAwsSdk: true });
    expect(statSync(join(bundled, 'index.mjs')).size).toBeGreaterThan(external.length);
  });
});
