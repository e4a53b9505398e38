import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as yauzl from 'yauzl';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLUSTERS } from '../../local/sample-evidence.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import type { ValidatedEvent } from '../../local/events.ts';
import type { PackageView } from '../../local/client/index.ts';
import type { LevelDocumentKind } from '../../shared/ports/steps.ts';
import { ManifestSchema } from '../../shared/package/records.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import { anonymous, as, startTestStack, testClients, type TestStack } from './harness.ts';
import * as steps from './steps.ts';

/**
 * The province's submission package, end to end on the local stand-ins: Jilin's reviewers start a
 * build over HTTP, the request object's S3 event runs the builder (as the bucket's notification
 * does in AWS), the ZIP is downloaded through its presigned link and holds what the manifest says;
 * MIIT verifies it; the same package with one byte changed in S3 fails verification. The
 * application climbs Jilin's declared steps: the city's review and formal letter, the province's
 * review, sampling and formal letter; the province's letter is the package's first folder.
 */
const clock = new ManualClock();
let stack: TestStack;
const campaign = demoCampaign(new Date());

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  expect((await (await as(stack, 'operator', '000000')).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

/** The next package request of `action` the builder has handled (subscribe before sending it). */
function nextPackageRun(action: 'build' | 'verify'): Promise<ValidatedEvent> {
  return new Promise((resolve) => {
    const listener = (event: ValidatedEvent) => {
      if (!event.key.includes(`/${action}`)) return;
      stack.packageEvents.off('validated', listener);
      resolve(event);
    };
    stack.packageEvents.on('validated', listener);
  });
}

async function decide(
  applicationId: string,
  stage: string,
  step: number,
  body: Parameters<ReturnType<typeof anonymous>['decide']>[1],
) {
  const link = await steps.reviewLink(stack, applicationId, stage, 1, step);
  const decided = await anonymous(stack).decide(link.reviewId, { ...body, t: link.secret });
  expect(decided.status, decided.text).toBe(200);
}

/** The level's reviewer files one of its own documents; a VALID letter completes its formal-letter step. */
const fileLevelDocument = (
  jurisdiction: string,
  kind: LevelDocumentKind,
  fileName: string,
  applicationIds?: string[],
): Promise<string> =>
  steps.fileLevelDocument(stack, { campaignId: campaign.campaignId, track: 'recommendation', jurisdiction }, kind, {
    fileName,
    ...(applicationIds && { applicationIds }),
  });

/** Every entry of a ZIP in memory (a test-sized package), with the SHA-256 of its bytes. */
async function unzip(bytes: Uint8Array): Promise<Map<string, { sha256: string; bytes: Buffer }>> {
  const zip = await yauzl.fromBufferPromise(Buffer.from(bytes), { lazyEntries: true });
  const out = new Map<string, { sha256: string; bytes: Buffer }>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          const data = Buffer.concat(chunks);
          out.set(entry.fileName, { sha256: createHash('sha256').update(data).digest('hex'), bytes: data });
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return out;
}

describe('the submission package to MIIT', () => {
  let built: PackageView;

  it('is built in the background from the province’s approved applications, and downloads through a short-lived link', async () => {
    const [dunhua] = DEMO_CLUSTERS;
    if (!dunhua) throw new Error('a demo cluster expected');
    const applicationId = await steps.fileAndSubmit(stack, campaign, dunhua);
    // 延边州: its review, then its formal letter completes the city's second step.
    await decide(applicationId, 'city', 0, { decision: 'approve', alsoNational: true });
    await steps.reviewLink(stack, applicationId, 'city', 1, 1);
    await fileLevelDocument('222400', 'formal-letter', '延边州正式推荐文件.pdf');
    // Jilin: its review, its on-site sampling (the record names the application), its formal letter.
    await decide(applicationId, 'province', 0, {
      decision: 'approve',
      scores: Object.fromEntries(CRITERIA.map((c) => [c, 88])),
    });
    await steps.reviewLink(stack, applicationId, 'province', 1, 1);
    await fileLevelDocument('220000', 'sampling-record', '实地抽查记录.pdf', [applicationId]);
    await decide(applicationId, 'province', 1, {
      decision: 'approve',
      sampling: { sampled: true, note: '现场查看，情况属实' },
    });
    await steps.reviewLink(stack, applicationId, 'province', 1, 2);
    const letterSha256 = await fileLevelDocument('220000', 'formal-letter', '吉林省正式推荐文件.pdf');

    const jilin = await as(stack, 'reviewer', '220000');
    const ran = nextPackageRun('build');
    const started = await jilin.buildPackage(campaign.campaignId);
    expect(started.status, started.text).toBe(202);
    expect(started.body.status).toBe('BUILDING');
    const event = await ran;
    expect(event.ok, event.error).toBe(true);

    const read = await jilin.package(campaign.campaignId, started.body.packageId);
    built = read.body;
    expect(built.status, built.failure).toBe('READY');
    expect(built.download?.url).toBeDefined();
    // The province's formal letter is in the package: nothing is missing.
    expect(built.missing).toEqual([]);

    const download = await fetch(built.download?.url ?? '');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    const zipBytes = new Uint8Array(await download.arrayBuffer());
    expect(zipBytes.byteLength).toBe(built.size);
    const entries = await unzip(zipBytes);

    const manifestEntry = entries.get('manifest.json');
    if (!manifestEntry) throw new Error('no manifest in the package');
    expect(manifestEntry.sha256).toBe(built.manifestSha256);
    expect(entries.get('manifest.json.sha256')?.bytes.toString()).toContain(built.manifestSha256 ?? 'none');
    const manifest = ManifestSchema.parse(JSON.parse(manifestEntry.bytes.toString('utf8')));
    expect(manifest.entries.length + 2).toBe(built.files);

    const paths = manifest.entries.map((e) => e.path);
    const folder = `03_申报材料/01_${dunhua.clusterName}`;
    expect(paths).toContain(`${folder}/01_申报表/application-form.pdf`);
    expect(paths).toContain(`${folder}/02_佐证材料/01_具有较强核心竞争力/core-competitiveness.pdf`);
    expect(paths.some((p) => p.startsWith('02_推荐汇总表（附件2）/') && p.endsWith('.xlsx'))).toBe(true);
    // The province's letter, and only the province's: the city's stays with the city.
    const letters = manifest.entries.filter((e) => e.path.startsWith('01_正式推荐文件/'));
    expect(letters.map((e) => e.sha256)).toEqual([letterSha256]);
    // Every file: the bytes in the ZIP are the manifest's, and evidence is what the validator passed.
    for (const entry of manifest.entries) {
      expect(entries.get(entry.path)?.sha256, entry.path).toBe(entry.sha256);
      if (entry.kind === 'form' || entry.kind === 'evidence') {
        expect(entry.verdict).toBe('VALID');
        expect(entry.validatedSha256).toBe(entry.sha256);
      }
    }
    // Beside the ZIP too, with the digest the record holds.
    const { s3 } = testClients();
    const beside = await s3.send(
      new GetObjectCommand({
        Bucket: stack.bucketName,
        Key: `packages/${campaign.campaignId}/${built.packageId}/manifest.json`,
      }),
    );
    const besideBytes = await beside.Body?.transformToByteArray();
    expect(
      createHash('sha256')
        .update(besideBytes ?? new Uint8Array())
        .digest('hex'),
    ).toBe(built.manifestSha256);
  });

  it('verifies at MIIT against its manifest; a province elsewhere may not read it', async () => {
    const miit = await as(stack, 'reviewer', '000000');
    const shanxi = await as(stack, 'reviewer', '140000');
    expect((await shanxi.package(campaign.campaignId, built.packageId)).status).toBe(403);
    expect((await miit.packages(campaign.campaignId)).body.packages.map((p) => p.packageId)).toContain(built.packageId);

    const ran = nextPackageRun('verify');
    const asked = await miit.verifyPackage(campaign.campaignId, built.packageId);
    expect(asked.status, asked.text).toBe(202);
    expect(asked.body.verification?.status).toBe('VERIFYING');
    await ran;
    const verified = (await miit.package(campaign.campaignId, built.packageId)).body;
    expect(verified.verification?.status, JSON.stringify(verified.verification)).toBe('VERIFIED');
    expect(verified.verification?.entries).toBe(built.files);
  });

  it('fails verification once one byte of the stored ZIP is changed, naming the file', async () => {
    const { s3 } = testClients();
    const key = `packages/${campaign.campaignId}/${built.packageId}/${built.packageId}.zip`;
    const stored = await s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: key }));
    const bytes = Buffer.from((await stored.Body?.transformToByteArray()) ?? []);
    // The form's bytes are stored, not deflated: find them and change one.
    const entries = await unzip(bytes);
    const formPath = [...entries.keys()].find((p) => p.includes('/01_申报表/'));
    const form = formPath === undefined ? undefined : entries.get(formPath);
    if (!formPath || !form) throw new Error('no stamped form in the package');
    const at = bytes.indexOf(form.bytes.subarray(0, 64)) + 40;
    expect(at).toBeGreaterThan(40);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: key, Body: bytes }));

    const miit = await as(stack, 'reviewer', '000000');
    const ran = nextPackageRun('verify');
    expect((await miit.verifyPackage(campaign.campaignId, built.packageId)).status).toBe(202);
    await ran;
    const checked = (await miit.package(campaign.campaignId, built.packageId)).body;
    expect(checked.verification?.status).toBe('MISMATCH');
    expect(checked.verification?.mismatches).toEqual([
      expect.objectContaining({ path: formPath, problem: 'digest', expected: form.sha256 }),
    ]);
  });
});
