import { describe, expect, it } from 'vitest';
import { type EvidenceUploadDeps, requestEvidenceUpload, uploadExpiry } from '../../../shared/intake/evidence.ts';
import type { Caller } from '../../../shared/platform/auth/principal.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { UPLOAD_URL_TTL_SECONDS } from '../../../shared/rules/storage.ts';
import type { ApplicationRecord, EvidenceRecord } from '../../../shared/schemas/records.ts';
import { FakeRecords } from '../ladder/fakes.ts';
import { APP_ID, PEOPLE, sampleApplication } from '../support.ts';

/*
 * Evidence upload requests, on fakes: the presigned POST never outlives the applicant's filing
 * deadline, and the item remembers that deadline for the validator.
 */

const NOW = new Date('2026-05-31T15:50:00.000Z');
const campaign = demoCampaign(new Date('2026-04-01T00:00:00.000Z'));
const caller: Caller = { principal: PEOPLE.dunhuaApplicant, requestId: 'request-1' };

function setUp(dueAt: string) {
  const records = new FakeRecords();
  const application: ApplicationRecord = sampleApplication({ campaignId: campaign.campaignId, dueAt });
  records.put(application);
  const signed: { expiresInSeconds: number }[] = [];
  let ids = 0;
  const deps: EvidenceUploadDeps = {
    records: {
      getApplication: (id) => records.getApplication(id),
      listEvidence: (id) => records.listEvidence(id),
      getEvidence: (id, evidenceId) => records.getEvidence(id, evidenceId),
      createEvidence: async (evidence: EvidenceRecord) => {
        records.evidence.push(evidence);
      },
      getIdempotencyMarker: async () => undefined,
    },
    campaigns: { get: async () => campaign },
    uploads: {
      presignUpload: async (input) => {
        signed.push(input);
        return { url: 'http://bucket', fields: { key: input.key } };
      },
    },
    clock: () => NOW,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  };
  return { deps, records, signed };
}

const pdfRequest = {
  criterion: 'application-form',
  fileName: '申报表.pdf',
  contentType: 'application/pdf',
  size: 1000,
};

describe('uploadExpiry', () => {
  it('is the link lifetime from now, or the deadline when that comes first, in whole seconds', () => {
    expect(uploadExpiry(NOW, '2026-06-30T16:00:00.000Z')).toEqual({
      expiresAt: new Date(NOW.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
      expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
    });
    expect(uploadExpiry(NOW, '2026-05-31T15:59:59.999Z')).toEqual({
      expiresAt: '2026-05-31T15:59:59.000Z',
      expiresInSeconds: 599,
    });
  });
});

describe('requestEvidenceUpload', () => {
  it('caps the presigned POST at the filing deadline and records the deadline on the item', async () => {
    const dueAt = '2026-05-31T16:00:00.000Z';
    const { deps, records, signed } = setUp(dueAt);
    const answer = await requestEvidenceUpload(deps, APP_ID, pdfRequest, caller, {});
    // Ten minutes before the deadline: the link lasts ten minutes, not fifteen.
    expect(signed).toEqual([expect.objectContaining({ expiresInSeconds: 600 })]);
    expect(answer.upload.expiresAt).toBe(dueAt);
    expect(records.evidence[0]).toMatchObject({ uploadExpiresAt: dueAt, uploadDeadline: dueAt });
  });

  it('gives the full lifetime when the deadline is further away', async () => {
    const { deps, signed } = setUp('2026-06-30T16:00:00.000Z');
    const answer = await requestEvidenceUpload(deps, APP_ID, pdfRequest, caller, {});
    expect(signed[0]?.expiresInSeconds).toBe(UPLOAD_URL_TTL_SECONDS);
    expect(Date.parse(answer.upload.expiresAt) - NOW.getTime()).toBe(UPLOAD_URL_TTL_SECONDS * 1000);
  });

  it('issues no link once the deadline has passed', async () => {
    const { deps, signed } = setUp('2026-05-31T15:49:59.000Z');
    await expect(requestEvidenceUpload(deps, APP_ID, pdfRequest, caller, {})).rejects.toMatchObject({
      code: 'DEADLINE_PASSED',
    });
    expect(signed).toEqual([]);
  });
});
