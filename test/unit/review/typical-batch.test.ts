import { describe, expect, it } from 'vitest';
import { checkUploadedLevelDocument } from '../../../shared/review/level-documents/check.ts';
import type { Level } from '../../../shared/review/level-documents/filing.ts';
import { completeWaitingLetterSteps } from '../../../shared/review/level-documents/gate.ts';
import { letterKindFor } from '../../../shared/review/level-documents/records.ts';
import { attachSummaryTable } from '../../../shared/review/level-documents/summary.ts';
import { levelDocumentFor } from '../../../shared/review/step-gates.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { miit2024TypicalCases } from '../../../shared/rules/campaigns/miit-2024-typical-cases.ts';
import type { ReviewRecord } from '../../../shared/schemas/reviews.ts';
import { PEOPLE } from '../support.ts';
import { campaignAt } from './fixtures.ts';
import { levelDocumentsWorld } from './worlds.ts';

/**
 * Typical cases as a batch: the gathering level files its 培育举措 once (level document
 * `cultivation-measures`), which completes the formal-letter step of every case of the level
 * waiting on it, exactly once, and brings the level's 典型案例信息汇总表 along.
 */

const now = new Date('2026-06-01T02:00:00.000Z');

/** The test campaign (open now, Jilin's 延边州 as the city), as a typical-case call whose cities gather. */
function typicalCampaign(): Campaign {
  const base = campaignAt(now);
  const track = miit2024TypicalCases.tracks['typical-case'];
  if (!track) throw new Error('no typical-case track');
  return {
    ...base,
    // With the recommendation track beside it, to show the measures are not filed there.
    tracks: { recommendation: base.tracks.recommendation, 'typical-case': track },
    steps: { city: [{ kind: 'review' }, { kind: 'formal-letter', document: 'cultivation-measures' }] },
    overlays: base.overlays.map(({ steps: _steps, ...overlay }) => overlay),
  };
}
const campaign = typicalCampaign();
const CITY: Level = { campaignId: campaign.campaignId, track: 'typical-case', jurisdictionCode: '222400' };
const CASES = ['5a2b9c1d-0e3f-4a5b-8c6d-7e8f9a0b1c2d', '6b3c0d2e-1f4a-4b6c-9d7e-8f9a0b1c2d3e'];
const world = levelDocumentsWorld(now, campaign);
const { store, desk, gateDeps, bucket, seedWaiting, letterStep, storedReview, successes, reviewer } = world;

const measures = { kind: 'cultivation-measures', fileName: '延边州集群培育举措.pdf', contentType: 'application/pdf' };

/** A typical case of the city waiting at its formal-letter step (index 1). */
const waiting = (applicationId: string, overrides: Partial<ReviewRecord> = {}) =>
  letterStep(applicationId, { track: 'typical-case', ...overrides });

/** Files the city's measures and has the validator check it; onFiled runs the gate as the composition does. */
async function fileMeasures() {
  const objects = new Map<string, Buffer>();
  const requested = await world.file(objects, CITY, measures);
  const deps = world.checkDeps(bucket(objects).storage);
  const event = world.uploadEvent(requested.objectKey);
  await checkUploadedLevelDocument(deps, event);
  return { requested, replay: () => checkUploadedLevelDocument(deps, event) };
}

describe('the typical-case batch', () => {
  it('the step a gathering level runs needs its 培育举措, on the typical-case track', () => {
    expect(letterKindFor('typical-case')).toBe('cultivation-measures');
    expect(letterKindFor('recommendation')).toBe('formal-letter');
    expect(levelDocumentFor({ kind: 'formal-letter', document: 'cultivation-measures' })).toBe('cultivation-measures');
  });

  it('one measures document completes every case of the level waiting on it, exactly once; others wait', async () => {
    const [first = '', second = ''] = CASES;
    const batch = [waiting(first), waiting(second)];
    // A recommendation of the same city waiting for its formal letter: not part of the batch.
    const letter = waiting('7c4d1e3f-2a5b-4c7d-8e9f-0a1b2c3d4e5f', {
      track: 'recommendation',
      campaignId: campaign.campaignId,
    });
    await seedWaiting(...batch, letter);

    const { requested, replay } = await fileMeasures();
    expect(requested).toMatchObject({ kind: 'cultivation-measures', uploadedBy: 'user:reviewer-222400' });
    expect(successes().sort()).toEqual(batch.map((r) => r.taskToken).sort());
    for (const r of batch) expect(storedReview(r)).toMatchObject({ status: 'DECIDED', decision: 'approve' });
    expect(storedReview(letter)).toMatchObject({ status: 'PENDING' });

    await replay();
    await completeWaitingLetterSteps(gateDeps(), CITY);
    expect(successes()).toHaveLength(2);
  });

  it('is filed once per level, on the typical-case track only, never by a county', async () => {
    await fileMeasures();
    await expect(desk().request(reviewer, CITY, { ...measures, size: world.pdf.length })).rejects.toMatchObject({
      code: 'TOO_MANY_FILES',
    });
    await expect(
      desk().request(reviewer, { ...CITY, track: 'recommendation' }, { ...measures, size: world.pdf.length }),
    ).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'kind', code: 'NOT_FILED_ON_THIS_TRACK' })] });
    const county = { kind: 'signed-in' as const, principal: PEOPLE.dunhuaApplicant };
    await expect(
      desk().request(county, { ...CITY, jurisdictionCode: '222403' }, { ...measures, size: world.pdf.length }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('a case is not approved by hand at the step without the measures (409 naming the document)', async () => {
    const [first = ''] = CASES;
    const open = waiting(first);
    await seedWaiting(open);
    await expect(world.approveByHand(open)).rejects.toMatchObject({
      code: 'LEVEL_DOCUMENT_MISSING',
      details: [expect.objectContaining({ field: 'levelDocuments.cultivation-measures' })],
    });
    expect(successes()).toEqual([]);
  });

  it('brings the level’s summary table along, generated once', async () => {
    const { requested } = await fileMeasures();
    const document = await store().get(requested.documentId);
    if (!document) throw new Error('no document');
    const { deps, stored } = world.summaryDeps(async () => ({
      fileName: '2024年典型案例信息汇总表（吉林省延边朝鲜族自治州）.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: Buffer.from('xlsx'),
    }));
    await expect(attachSummaryTable(deps, document)).resolves.toBe(true);
    const again = await store().get(requested.documentId);
    await expect(attachSummaryTable(deps, again ?? document)).resolves.toBe(false);
    expect(stored).toHaveLength(1);
    expect(again?.summaryTable?.fileName).toContain('典型案例信息汇总表');
  });
});
