import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPackage, BUILD_HOLD_MS } from '../../../shared/package/builder.ts';
import { packageKeys } from '../../../shared/package/keys.ts';
import { MANIFEST_DIGEST_PATH, MANIFEST_PATH, parseManifest } from '../../../shared/package/manifest.ts';
import type { PackageRecord } from '../../../shared/package/records.ts';
import { verifyPackage } from '../../../shared/package/verify.ts';
import type { PackageSources } from '../../../shared/ports/package.ts';
import type { LevelDocumentRef } from '../../../shared/ports/steps.ts';
import type { ApplicationRecord, EvidenceRecord } from '../../../shared/schemas/records.ts';
import { application, campaignAt, evidence, review } from '../review/fixtures.ts';
import { FakeArchives, FakePackageStore } from './fakes.ts';

const now = new Date('2026-07-10T02:00:00.000Z');
const campaign = campaignAt(now);
const PACKAGE_ID = '220000-recommendation-20260710020000-0a1b2c3d';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const APPROVED = '11111111-1111-4111-8111-111111111111';
const AT_MIIT = '22222222-2222-4222-8222-222222222222';
const REJECTED = '33333333-3333-4333-8333-333333333333';

/** Jilin: one approved by the province (waiting for its batch date), one already at MIIT, one rejected. */
const applications: ApplicationRecord[] = [
  application(now, {
    applicationId: APPROVED,
    clusterName: '敦化市医药产业集群',
    status: 'PROVINCE_REVIEW',
    stage: 'province',
  }),
  application(now, {
    applicationId: AT_MIIT,
    clusterName: '通化市医药产业集群',
    countyCode: '220581',
    status: 'MIIT_REVIEW',
    stage: 'miit',
  }),
  application(now, {
    applicationId: REJECTED,
    clusterName: '延吉市食品产业集群',
    status: 'REJECTED',
    stage: 'province',
  }),
];
const scored = [
  review(now, {
    applicationId: APPROVED,
    reviewId: `${APPROVED}.province.1.1`,
    stage: 'province',
    status: 'DECIDED',
    decision: 'approve',
    weightedScore: 80,
    decidedAt: now.toISOString(),
  }),
  review(now, {
    applicationId: AT_MIIT,
    reviewId: `${AT_MIIT}.province.1.1`,
    stage: 'province',
    status: 'DECIDED',
    decision: 'approve',
    weightedScore: 90,
    decidedAt: now.toISOString(),
  }),
  review(now, {
    applicationId: REJECTED,
    reviewId: `${REJECTED}.province.1.1`,
    stage: 'province',
    status: 'DECIDED',
    decision: 'reject',
    weightedScore: 50,
    decidedAt: now.toISOString(),
  }),
];

/** Object bytes by key: each file's content is its key. */
const file = (
  applicationId: string,
  n: number,
  criterion: string,
  fileName: string,
  status: EvidenceRecord['status'] = 'VALID',
) => {
  const key = `evidence/${applicationId}/${n}`;
  return evidence({
    applicationId,
    evidenceId: `${applicationId.slice(0, 8)}-0000-4000-8000-00000000000${n}`,
    criterion,
    fileName,
    objectKey: key,
    status,
    sha256: sha(key),
    eTag: `etag-${n}`,
  });
};
const evidenceByApplication: Record<string, EvidenceRecord[]> = {
  [APPROVED]: [
    file(APPROVED, 2, 'core-competitiveness', '产值.pdf'),
    file(APPROVED, 1, 'application-form', '申报表.pdf'),
    file(APPROVED, 3, 'core-competitiveness', '产值.pdf'),
    file(APPROVED, 4, 'green-development', '绿色.pdf', 'INVALID'),
  ],
  [AT_MIIT]: [file(AT_MIIT, 5, 'green-development', '能耗.pdf')],
  [REJECTED]: [file(REJECTED, 6, 'application-form', '申报表.pdf')],
};

const letter: LevelDocumentRef = {
  campaignId: campaign.campaignId,
  track: 'recommendation',
  jurisdictionCode: '220000',
  kind: 'formal-letter',
  documentId: 'letter-1',
  fileName: '吉林省工业和信息化厅推荐函.pdf',
  sha256: sha('evidence/letters/1'),
  s3Key: 'evidence/letters/1',
  uploadedBy: 'reviewer@jl.gov.cn',
  validatedAt: now.toISOString(),
};

function world(options: { letters?: LevelDocumentRef[]; gone?: string[] } = {}) {
  const store = new FakePackageStore();
  const archives = new FakeArchives();
  const opened: string[] = [];
  const sources: PackageSources = {
    campaign: async () => campaign,
    applicationsOf: async () => applications,
    scored: async () => scored,
    evidenceOf: async (id) => evidenceByApplication[id] ?? [],
    summaryXlsx: async () => ({ fileName: '2026年推荐汇总表（吉林省）.xlsx', body: new TextEncoder().encode('xlsx') }),
    levelDocuments: { valid: async () => options.letters ?? [letter] },
    objects: {
      open: async (key) => {
        opened.push(key);
        if (options.gone?.includes(key)) return undefined;
        return {
          body: (async function* () {
            yield new TextEncoder().encode(key);
          })(),
        };
      },
    },
  };
  const record: PackageRecord = {
    packageId: PACKAGE_ID,
    campaignId: campaign.campaignId,
    track: 'recommendation',
    jurisdictionCode: '220000',
    jurisdictionName: '吉林省',
    status: 'BUILDING',
    requestedBy: { sub: 'reviewer-220000', role: 'reviewer', jurisdiction: '220000' },
    requestedAt: now.toISOString(),
    ...packageKeys(campaign.campaignId, PACKAGE_ID),
    fileName: 'p.zip',
    attempts: 0,
    missing: [],
  };
  void store.create(record);
  let at = now;
  const deps = { store, sources, archives, clock: () => at };
  return { store, archives, opened, deps, record, later: (ms: number) => (at = new Date(at.getTime() + ms)) };
}

describe('building a package', () => {
  it('packs the letter, the summary table, then each recommended application in ranking order with its VALID files', async () => {
    const { deps, store, archives, record } = world();
    expect(await buildPackage(deps, record.campaignId, record.packageId)).toBe('built');
    const zip = archives.zips.get(record.objectKey);
    expect([...(zip?.keys() ?? [])]).toEqual([
      '01_正式推荐文件/吉林省工业和信息化厅推荐函.pdf',
      '02_推荐汇总表（附件2）/2026年推荐汇总表（吉林省）.xlsx',
      // Ranked 90 before 80: the one at MIIT first. The rejected one is not recommended.
      '03_申报材料/01_通化市医药产业集群/02_佐证材料/06_具有较高绿色化发展水平/能耗.pdf',
      '03_申报材料/02_敦化市医药产业集群/01_申报表/申报表.pdf',
      '03_申报材料/02_敦化市医药产业集群/02_佐证材料/01_具有较强核心竞争力/产值.pdf',
      '03_申报材料/02_敦化市医药产业集群/02_佐证材料/01_具有较强核心竞争力/产值(2).pdf',
      MANIFEST_PATH,
      MANIFEST_DIGEST_PATH,
    ]);
    const built = await store.get(record.campaignId, record.packageId);
    expect(built).toMatchObject({ status: 'READY', files: 8 });
    expect(built?.claimedUntil).toBeUndefined();
    // The first application has no stamped form: the manifest says so.
    expect(built?.missing).toEqual([
      {
        path: '03_申报材料/01_通化市医药产业集群/01_申报表/',
        reason: '没有校验通过的盖章申报表 / no VALID stamped form',
      },
    ]);
  });

  it('lists every file in the manifest with its size, digest and verdict; the manifest’s own digest is on the record, in the ZIP and beside it', async () => {
    const { deps, store, archives, record } = world();
    await buildPackage(deps, record.campaignId, record.packageId);
    const built = await store.get(record.campaignId, record.packageId);
    const zip = archives.zips.get(record.objectKey);
    const stored = archives.objects.get(record.manifestKey);
    if (!zip || !stored || !built) throw new Error('not built');
    expect(zip.get(MANIFEST_PATH)).toEqual(stored);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(built.manifestSha256);
    expect(new TextDecoder().decode(zip.get(MANIFEST_DIGEST_PATH))).toBe(`${built.manifestSha256}  manifest.json\n`);
    const manifest = parseManifest(stored);
    expect(manifest.entries).toHaveLength(6);
    for (const entry of manifest.entries) {
      const bytes = zip.get(entry.path);
      expect(entry.size).toBe(bytes?.byteLength);
      expect(entry.sha256).toBe(
        createHash('sha256')
          .update(bytes ?? new Uint8Array())
          .digest('hex'),
      );
    }
    const form = manifest.entries.find((e) => e.kind === 'form');
    expect(form).toMatchObject({ applicationId: APPROVED, item: 'application-form', verdict: 'VALID' });
    expect(form?.validatedSha256).toBe(form?.sha256);
  });

  it('reads each evidence file at the version the validator pinned', async () => {
    const { deps, record, opened } = world();
    await buildPackage(deps, record.campaignId, record.packageId);
    expect(opened).toContain(`evidence/${APPROVED}/1`);
    expect(opened).not.toContain(`evidence/${APPROVED}/4`); // INVALID: never packed
    expect(opened).not.toContain(`evidence/${REJECTED}/6`);
  });

  it('says what is missing: no formal letter filed, or a validated object gone', async () => {
    const { deps, store, record } = world({ letters: [], gone: [`evidence/${APPROVED}/2`] });
    await buildPackage(deps, record.campaignId, record.packageId);
    const built = await store.get(record.campaignId, record.packageId);
    expect(built?.missing.map((m) => m.path)).toEqual([
      '01_正式推荐文件/',
      '03_申报材料/01_通化市医药产业集群/01_申报表/',
      '03_申报材料/02_敦化市医药产业集群/02_佐证材料/01_具有较强核心竞争力/产值.pdf',
    ]);
  });

  it('builds once however often the request is delivered: a redelivery finds it READY and writes nothing', async () => {
    const { deps, archives, record, store } = world();
    expect(await buildPackage(deps, record.campaignId, record.packageId)).toBe('built');
    const first = await store.get(record.campaignId, record.packageId);
    expect(await buildPackage(deps, record.campaignId, record.packageId)).toBe('skipped');
    expect(archives.writes).toBe(1);
    expect(await store.get(record.campaignId, record.packageId)).toEqual(first);
  });

  it('skips while another delivery holds the build, and takes it over once that hold lapses', async () => {
    const { deps, archives, record, store, later } = world();
    await store.claim(
      record.campaignId,
      record.packageId,
      now.toISOString(),
      new Date(now.getTime() + BUILD_HOLD_MS).toISOString(),
    );
    expect(await buildPackage(deps, record.campaignId, record.packageId)).toBe('skipped');
    expect(archives.writes).toBe(0);
    later(BUILD_HOLD_MS + 1);
    expect(await buildPackage(deps, record.campaignId, record.packageId)).toBe('built');
    expect((await store.get(record.campaignId, record.packageId))?.attempts).toBe(2);
  });

  it('records FAILED with why, and a redelivery does not build over it', async () => {
    const { deps, archives, record, store } = world();
    deps.sources.applicationsOf = async () => {
      throw new Error('DynamoDB is unavailable');
    };
    expect(await buildPackage(deps, record.campaignId, record.packageId)).toBe('failed');
    expect(await store.get(record.campaignId, record.packageId)).toMatchObject({
      status: 'FAILED',
      failure: 'DynamoDB is unavailable',
    });
    expect(await buildPackage(deps, record.campaignId, record.packageId)).toBe('skipped');
    expect(archives.writes).toBe(0);
  });
});

describe('verifying a package against its manifest', () => {
  async function built() {
    const w = world();
    await buildPackage(w.deps, w.record.campaignId, w.record.packageId);
    const ask = async (requestId: string) => {
      await w.store.requestVerification(w.record.campaignId, w.record.packageId, {
        status: 'VERIFYING',
        requestId,
        requestedAt: now.toISOString(),
        requestedBy: 'reviewer-000000',
        mismatches: [],
      });
      return verifyPackage(w.deps, w.record.campaignId, w.record.packageId, requestId);
    };
    return { ...w, ask, zip: w.archives.zips.get(w.record.objectKey) ?? new Map<string, Uint8Array>() };
  }

  it('VERIFIED when every entry is the manifest’s', async () => {
    const { ask, store, record } = await built();
    expect(await ask('r1')).toBe('VERIFIED');
    expect((await store.get(record.campaignId, record.packageId))?.verification).toMatchObject({
      entries: 8,
      mismatches: [],
    });
  });

  it('MISMATCH naming a changed file, a missing one and an added one', async () => {
    const { ask, store, record, zip } = await built();
    const changed = '03_申报材料/02_敦化市医药产业集群/01_申报表/申报表.pdf';
    const removed = '01_正式推荐文件/吉林省工业和信息化厅推荐函.pdf';
    zip.set(changed, new TextEncoder().encode('forged'));
    zip.delete(removed);
    zip.set('03_申报材料/extra.exe', new TextEncoder().encode('MZ'));
    expect(await ask('r2')).toBe('MISMATCH');
    const problems = (await store.get(record.campaignId, record.packageId))?.verification?.mismatches.map((m) => [
      m.path,
      m.problem,
    ]);
    expect(problems).toEqual([
      [removed, 'absent'],
      [changed, 'digest'],
      ['03_申报材料/extra.exe', 'unlisted'],
    ]);
  });

  it('MISMATCH when the manifest beside the ZIP is not the one the record’s digest names', async () => {
    const { ask, archives, record, store } = await built();
    archives.objects.set(record.manifestKey, new TextEncoder().encode('{"entries":[]}'));
    expect(await ask('r3')).toBe('MISMATCH');
    expect((await store.get(record.campaignId, record.packageId))?.verification?.mismatches).toEqual([
      expect.objectContaining({ path: 'manifest.json', problem: 'manifest' }),
    ]);
  });

  it('answers only the verification asked for last: a stale request id records nothing', async () => {
    const { ask, deps, record, store } = await built();
    await ask('r4');
    const before = await store.get(record.campaignId, record.packageId);
    expect(await verifyPackage(deps, record.campaignId, record.packageId, 'stale')).toBe('skipped');
    expect(await store.get(record.campaignId, record.packageId)).toEqual(before);
  });
});
