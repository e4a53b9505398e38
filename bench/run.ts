/**
 * `npm run bench`: the figures the README records, measured in one run on this machine.
 * Benchmarks are never assertions: the machines are shared and noisy, so compare ratios.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchBundles, bundlesReport } from './bundles.ts';
import { benchLadder } from './ladder.ts';
import { ladderReport } from './ladder-report.ts';
import { benchOps, opsReport } from './ops.ts';
import { benchPackage, packageReport } from './package.ts';
import { benchValidator, validatorReport } from './validator.ts';

const MiB = 1024 * 1024;

const validator = await benchValidator({ bytes: 48 * MiB });
console.log('Validator, full inspection, over generated 48 MiB evidence files (1 MiB chunks), against bare SHA-256');
for (const line of validatorReport(validator)) console.log(line);

console.log('');
for (const line of bundlesReport(await benchBundles())) console.log(line);

console.log('');
for (const line of packageReport(await benchPackage({ progress: (line) => console.error(line) }))) console.log(line);

console.log('');
for (const line of opsReport(await benchOps({ progress: (line) => console.error(line) }))) console.log(line);

// The whole local pipeline for a few minutes; progress goes to stderr.
console.log('');
const ladder = await benchLadder({ progress: (line) => console.error(line) });
for (const line of ladderReport(ladder)) console.log(line);

// Faults across 200 applications (bench/faults.ts), in a process of its own: handler modules keep
// the endpoints of the first local stack they saw, and this process's stacks are gone.
console.log('');
const faults = spawnSync(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./faults.ts', import.meta.url))],
  {
    stdio: 'inherit',
  },
);
if (faults.status !== 0) process.exitCode = faults.status ?? 1;

// The deadline rush (bench/rush.ts): 500 county officials in the last hour, then the same under a
// fault plan; each in a process of its own, for the same reason.
for (const args of [[], ['--faults', '0.2']]) {
  console.log('');
  const rush = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./rush.ts', import.meta.url)), ...args],
    { stdio: 'inherit' },
  );
  if (rush.status !== 0) process.exitCode = rush.status ?? 1;
}
