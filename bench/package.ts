/**
 * The submission package's memory against its size: a package built from generated evidence
 * totalling over 1 GiB, streamed from the local S3 stand-in through the real writer
 * (shared/adapters/s3-package-archives.ts: yazl into a multipart upload) and read back through its
 * verifier (yauzl over ranged GETs), while this process's RSS and heap are sampled. The stand-in
 * runs in a process of its own (bench/package-s3.ts), so its memory is not counted.
 *
 *   npx tsx bench/package.ts            # 1.1 GiB of evidence (the figure)
 *   npx tsx bench/package.ts 64         # 64 MiB, for a quick look
 *
 * The evidence is generated as a stream (pseudo-random 1 MiB blocks, never held whole) and
 * uploaded with the SDK's multipart upload. The figure is the ratio peak / total bytes: constant
 * memory means it falls as the package grows.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { S3EvidenceObjects } from '../shared/adapters/s3-evidence-objects.ts';
import { S3PackageArchives } from '../shared/adapters/s3-package-archives.ts';

const MiB = 1024 * 1024;
const BUCKET = 'package-bench';
/** Evidence files of 50 MiB (the largest a checklist item allows in the national call). */
const FILE_MiB = 50;

export interface PackageBenchResult {
  totalBytes: number;
  files: number;
  zipBytes: number;
  buildSeconds: number;
  verifySeconds: number;
  /** Highest RSS and heap while building and while verifying, as sampled every 20 ms. */
  build: { peakRss: number; peakHeap: number; baselineRss: number };
  verify: { peakRss: number; peakHeap: number };
  verified: boolean;
}

/** `size` pseudo-random bytes as a stream of 1 MiB blocks (never held whole), with their SHA-256. */
function generated(size: number): { stream: Readable; digest: () => string } {
  const block = randomBytes(MiB);
  const hash = createHash('sha256');
  let left = size;
  let n = 0;
  const stream = new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const chunk = Buffer.from(block.subarray(0, Math.min(MiB, left)));
      chunk.writeUInt32BE(n++, 0); // every block differs
      left -= chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

function sampler() {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peak.rss = Math.max(peak.rss, rss);
    peak.heap = Math.max(peak.heap, heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

async function startStandIn(directory: string): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./package-s3.ts', import.meta.url)), directory],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n') && line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the S3 stand-in exited (${code})`)));
  });
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

export async function benchPackage(options: { totalMiB?: number; progress?: (line: string) => void } = {}) {
  const totalMiB = options.totalMiB ?? 1126; // 1.1 GiB
  const say = options.progress ?? (() => undefined);
  const directory = await mkdtemp(join(tmpdir(), 'package-bench-'));
  const standIn = await startStandIn(directory);
  const client = new S3Client({
    endpoint: standIn.endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const files: { key: string; sha256: string; size: number }[] = [];
    for (let left = totalMiB * MiB, i = 0; left > 0; i++) {
      const size = Math.min(FILE_MiB * MiB, left);
      const { stream, digest } = generated(size);
      const key = `evidence/bench/${String(i).padStart(3, '0')}.pdf`;
      await new Upload({
        client,
        params: { Bucket: BUCKET, Key: key, Body: stream },
        partSize: 8 * MiB,
        queueSize: 2,
      }).done();
      files.push({ key, sha256: digest(), size });
      left -= size;
    }
    const totalBytes = files.reduce((n, f) => n + f.size, 0);
    say(`package bench: ${files.length} evidence files, ${(totalBytes / MiB).toFixed(0)} MiB uploaded`);

    const archives = new S3PackageArchives(client, BUCKET);
    const objects = new S3EvidenceObjects(client, BUCKET);
    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    const building = sampler();
    let started = performance.now();
    const result = await archives.write(
      'packages/bench/bench.zip',
      files.map((f, i) => ({
        path: `03_申报材料/${String(Math.floor(i / 9) + 1).padStart(2, '0')}_集群/02_佐证材料/${f.key.split('/').pop()}`,
        open: async () => (await objects.open(f.key))?.body,
      })),
      (written) => [{ path: 'manifest.json', bytes: new TextEncoder().encode(JSON.stringify(written)) }],
    );
    const buildSeconds = (performance.now() - started) / 1000;
    const build = building.stop();
    say(`package bench: built ${(result.size / MiB).toFixed(0)} MiB in ${buildSeconds.toFixed(1)} s`);

    const verifying = sampler();
    started = performance.now();
    const read = (await archives.entries('packages/bench/bench.zip')) ?? [];
    const verifySeconds = (performance.now() - started) / 1000;
    const verify = verifying.stop();
    const byPath = new Map(result.written.map((w) => [w.path, w.sha256]));
    const verified =
      read.length === result.written.length &&
      read.every((entry) => byPath.get(entry.path) === entry.sha256) &&
      files.every((f, i) => result.written[i]?.sha256 === f.sha256);
    return {
      totalBytes,
      files: files.length,
      zipBytes: result.size,
      buildSeconds,
      verifySeconds,
      build: { peakRss: build.rss, peakHeap: build.heap, baselineRss },
      verify: { peakRss: verify.rss, peakHeap: verify.heap },
      verified,
    } satisfies PackageBenchResult;
  } finally {
    client.destroy();
    await standIn.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

export function packageReport(r: PackageBenchResult): string[] {
  const mib = (n: number) => `${(n / MiB).toFixed(0)} MiB`;
  const ratio = (n: number) => (n / r.totalBytes).toFixed(3);
  return [
    `Submission package, ${r.files} generated evidence files, ${mib(r.totalBytes)} in all (ZIP ${mib(r.zipBytes)}), against the local S3 stand-in`,
    `  build:  ${r.buildSeconds.toFixed(1)} s (${(r.totalBytes / MiB / r.buildSeconds).toFixed(0)} MiB/s); peak RSS ${mib(r.build.peakRss)} (${mib(r.build.peakRss - r.build.baselineRss)} over the process before), peak heap ${mib(r.build.peakHeap)}`,
    `  verify: ${r.verifySeconds.toFixed(1)} s (${(r.totalBytes / MiB / r.verifySeconds).toFixed(0)} MiB/s); peak RSS ${mib(r.verify.peakRss)}, peak heap ${mib(r.verify.peakHeap)}`,
    `  peak / total: RSS ${ratio(r.build.peakRss)} (build), ${ratio(r.verify.peakRss)} (verify); heap ${ratio(r.build.peakHeap)} (build), ${ratio(r.verify.peakHeap)} (verify)`,
    `  every entry read back matched its digest: ${r.verified ? 'yes' : 'NO'}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const mib = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const result = await benchPackage({
    ...(mib !== undefined && { totalMiB: mib }),
    progress: (line) => console.error(line),
  });
  for (const line of packageReport(result)) console.log(line);
  if (!result.verified) process.exitCode = 1;
}
