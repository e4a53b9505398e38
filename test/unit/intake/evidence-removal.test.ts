import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamo-records/keys.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import { Intake } from '../../../shared/intake/intake.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { ApplicationStatus } from '../../../shared/schemas/common.ts';
import { AuditEventSchema, type EvidenceRecord } from '../../../shared/schemas/records.ts';
import { APP_ID, application, campaignAt, documentClient, seed, TABLE } from '../review/fixtures.ts';
import { mockedCloud } from '../review/worlds.ts';
import { PEOPLE } from '../support.ts';

/*
 * Removing an evidence file (DELETE …/evidence/{evidenceId}) through the intake and the real
 * records adapter over an in-memory table that evaluates DynamoDB's conditions: who may remove
 * what and when, that the removal is one conditional transaction with its audit event, that a
 * repeat answers the same, and that the checklist stops counting the file.
 */

const cloud = mockedCloud();
const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const FORM_FILE = '11111111-1111-4111-8111-111111111111';
const STATEMENT = '22222222-2222-4222-8222-222222222222';
const SHA = 'a'.repeat(64);
let records: DynamoRecords;
let ids = 0;

const validFile = (overrides: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
  applicationId: APP_ID,
  evidenceId: FORM_FILE,
  criterion: 'application-form',
  fileName: '申报表.pdf',
  contentType: 'application/pdf',
  fileType: 'pdf',
  declaredSize: 2048,
  maxBytes: 20 * 1024 * 1024,
  objectKey: `evidence/${APP_ID}/${FORM_FILE}`,
  status: 'VALID',
  requestedAt: '2026-05-30T00:00:00.000Z',
  uploadExpiresAt: '2026-05-30T00:15:00.000Z',
  validatedAt: '2026-05-30T00:01:00.000Z',
  size: 2048,
  sha256: SHA,
  validatedSequencer: '0055AED6DCD90281E5',
  findings: [],
  warnings: [],
  ...overrides,
});

function intakeOver(recordsPort = records) {
  return new Intake({
    records: recordsPort,
    workflow: { start: () => Promise.reject(new Error('no')), resubmitted: () => Promise.reject(new Error('no')) },
    campaigns: new CampaignCatalog(
      {
        putCampaign: async () => {},
        getStoredCampaign: async (id) => (id === campaign.campaignId ? campaign : undefined),
        listStoredCampaigns: async () => [campaign],
      },
      () => now,
    ),
    clock: () => now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  });
}

const as = (principal: Principal) => ({ principal, requestId: 'req-1' });
const audits = async () => (await records.listAudit(APP_ID)).filter((e) => e.action === 'EVIDENCE_REMOVED');
const refusal = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

function seedApplication(status: ApplicationStatus) {
  seed(cloud.table).application(application(now, { status, campaignId: campaign.campaignId, revision: 2 }));
}

beforeEach(() => {
  records = new DynamoRecords(documentClient(), TABLE);
  seed(cloud.table).campaign(campaign);
});

describe('removing a file while the application may be edited', () => {
  beforeEach(() => {
    seedApplication('DRAFT');
    seed(cloud.table).evidence(validFile());
    const claim = keys.contentHash(APP_ID, SHA);
    cloud.table.put({ ...claim, evidenceId: FORM_FILE });
  });

  it('deletes the item with an audit event naming the file, and releases its claim on the bytes', async () => {
    const answer = await intakeOver().removeEvidence(APP_ID, FORM_FILE, as(PEOPLE.dunhuaApplicant));

    expect(answer).toEqual({
      applicationId: APP_ID,
      evidenceId: FORM_FILE,
      criterion: 'application-form',
      removed: true,
    });
    expect(await records.getEvidence(APP_ID, FORM_FILE)).toBeUndefined();
    const [event] = await audits();
    expect(AuditEventSchema.parse(event)).toMatchObject({
      action: 'EVIDENCE_REMOVED',
      actor: PEOPLE.dunhuaApplicant.sub,
      role: 'applicant',
      detail: { evidenceId: FORM_FILE, criterion: 'application-form', fileName: '申报表.pdf', status: 'VALID' },
    });
    const claim = keys.contentHash(APP_ID, SHA);
    expect(cloud.table.get(claim.pk, claim.sk)).toBeUndefined();
  });

  it('no longer counts the file in the checklist', async () => {
    const before = await intakeOver().get(APP_ID, PEOPLE.dunhuaApplicant);
    expect(before.checklist.find((item) => item.id === 'application-form')?.valid).toBe(1);

    await intakeOver().removeEvidence(APP_ID, FORM_FILE, as(PEOPLE.dunhuaApplicant));

    const after = await intakeOver().get(APP_ID, PEOPLE.dunhuaApplicant);
    const item = after.checklist.find((entry) => entry.id === 'application-form');
    expect(item).toMatchObject({ valid: 0, problem: 'MISSING' });
    expect(after.evidence).toEqual([]);
  });

  it('answers a repeat as the first, writing nothing more', async () => {
    const first = await intakeOver().removeEvidence(APP_ID, FORM_FILE, as(PEOPLE.dunhuaApplicant));
    const again = await intakeOver().removeEvidence(APP_ID, FORM_FILE, as(PEOPLE.dunhuaApplicant));

    expect(again).toEqual(first);
    expect(await audits()).toHaveLength(1);
  });

  it('answers 404 for a file that never was, and 403 to a reviewer above who may only read', async () => {
    const missing = '33333333-3333-4333-8333-333333333333';
    expect(await refusal(intakeOver().removeEvidence(APP_ID, missing, as(PEOPLE.dunhuaApplicant)))).toMatchObject({
      status: 404,
    });
    expect(await refusal(intakeOver().removeEvidence(APP_ID, missing, as(PEOPLE.jilinReviewer)))).toMatchObject({
      status: 403,
    });
  });

  it('refuses another province’s applicant, the city’s reviewers and operators (403), and keeps the file', async () => {
    for (const principal of [PEOPLE.hebeiApplicant, PEOPLE.yanbianReviewer, PEOPLE.jilinOperator]) {
      const error = await refusal(intakeOver().removeEvidence(APP_ID, FORM_FILE, as(principal)));
      expect(error, principal.sub).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect(await records.getEvidence(APP_ID, FORM_FILE)).toBeDefined();
    expect(await audits()).toEqual([]);
  });

  it('refuses with 409 CONCURRENT_CHANGE when the file changed since it was read (its verdict arrived)', async () => {
    // Read while PENDING, validated before the removal is written: the condition on the item fails.
    const stale = validFile({ status: 'PENDING', validatedSequencer: undefined, sha256: undefined });
    const racing = Object.assign(Object.create(records) as DynamoRecords, {
      getEvidence: async () => stale,
    });

    const error = await refusal(intakeOver(racing).removeEvidence(APP_ID, FORM_FILE, as(PEOPLE.dunhuaApplicant)));

    expect(error).toMatchObject({ status: 409, code: 'CONCURRENT_CHANGE' });
    expect(await records.getEvidence(APP_ID, FORM_FILE)).toMatchObject({ status: 'VALID' });
    expect(await audits()).toEqual([]);
  });

  it('refuses with 409 NOT_EDITABLE when the application was submitted in between', async () => {
    const racing = Object.assign(Object.create(records) as DynamoRecords, {
      getApplication: async (id: string) => {
        const current = await records.getApplication(id);
        // The first read sees the draft; the table already holds the submitted application.
        seedApplication('SUBMITTED');
        return current;
      },
    });

    const error = await refusal(intakeOver(racing).removeEvidence(APP_ID, FORM_FILE, as(PEOPLE.dunhuaApplicant)));

    expect(error).toMatchObject({ status: 409, code: 'NOT_EDITABLE' });
    expect(await records.getEvidence(APP_ID, FORM_FILE)).toBeDefined();
  });
});

describe('once the application is under review', () => {
  beforeEach(() => {
    seedApplication('CITY_REVIEW');
    seed(cloud.table).evidence(validFile());
    seed(cloud.table).evidence(
      validFile({
        evidenceId: STATEMENT,
        criterion: 'onsite-check-statement',
        objectKey: `evidence/${APP_ID}/${STATEMENT}`,
        status: 'INVALID',
        sha256: undefined,
      }),
    );
  });

  it('keeps the county’s files: 409 NOT_EDITABLE', async () => {
    const error = await refusal(intakeOver().removeEvidence(APP_ID, FORM_FILE, as(PEOPLE.dunhuaApplicant)));
    expect(error).toMatchObject({ status: 409, code: 'NOT_EDITABLE' });
    expect(await records.getEvidence(APP_ID, FORM_FILE)).toBeDefined();
  });

  it('lets the city’s reviewers remove their own on-site statement, and no one else', async () => {
    expect(await refusal(intakeOver().removeEvidence(APP_ID, STATEMENT, as(PEOPLE.dunhuaApplicant)))).toMatchObject({
      status: 403,
    });
    const answer = await intakeOver().removeEvidence(APP_ID, STATEMENT, as(PEOPLE.yanbianReviewer));
    expect(answer.criterion).toBe('onsite-check-statement');
    expect(await records.getEvidence(APP_ID, STATEMENT)).toBeUndefined();
    expect((await audits())[0]).toMatchObject({ role: 'reviewer', jurisdiction: '222400' });
  });
});
