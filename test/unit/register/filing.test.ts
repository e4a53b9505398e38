import { beforeEach, describe, expect, it } from 'vitest';
import { CampaignCatalog } from '../../../shared/intake/campaigns.ts';
import { Intake } from '../../../shared/intake/intake.ts';
import type { ReviewWorkflow } from '../../../shared/ports/intake.ts';
import { eligibleEntries, filingRefusal, identityChanges } from '../../../shared/register/eligibility.ts';
import { type RegisterEntry, registerEntryId } from '../../../shared/register/entry.ts';
import { entriesToFile } from '../../../shared/register/filing.ts';
import { seedEntries } from '../../../shared/register/seed.ts';
import { miit2024TypicalCases } from '../../../shared/rules/campaigns/miit-2024-typical-cases.ts';
import { miit2025Rereview } from '../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { FakeRecords } from '../ladder/fakes.ts';
import { PEOPLE } from '../support.ts';
import { MemoryRegister } from './memory-register.ts';

const NOW = new Date('2025-04-01T02:00:00Z');
const [dunhua, fengtai] = seedEntries(NOW) as [RegisterEntry, RegisterEntry, ...RegisterEntry[]];
const COHORT_2022 = { level: 'national', year: 2022 } as const;

/** Another entry: a provincial one of 敦化市 (typical cases take it; a re-review of 2022 national does not). */
const provincial: RegisterEntry = {
  ...dunhua,
  entryId: registerEntryId({ level: 'provincial', cohort: 2023, countyCode: '222403', clusterName: '敦化市林下经济' }),
  clusterName: '敦化市林下经济产业集群',
  leadingIndustry: '林下经济',
  level: 'provincial',
  cohort: 2023,
};

describe('eligibility (a pure rule on the entry, the track and its cohort)', () => {
  const rereview = { track: 'rereview' as const, countyCode: '222403', cohort: COHORT_2022 };

  it('lets the county file the re-review of its own standing 2022 national entry', () => {
    expect(filingRefusal(dunhua, rereview)).toBeUndefined();
    expect(filingRefusal({ ...dunhua, state: 'retained' }, rereview)).toBeUndefined();
  });

  it('says why it refuses: not in the register, not a member, revoked, another county, no cohort', () => {
    expect(filingRefusal(undefined, rereview)?.code).toBe('NOT_IN_REGISTER');
    expect(filingRefusal(provincial, rereview)?.code).toBe('NOT_A_MEMBER');
    expect(filingRefusal({ ...dunhua, cohort: 2023 }, rereview)?.message).toContain('2022');
    expect(filingRefusal({ ...dunhua, state: 'revoked' }, rereview)).toMatchObject({ code: 'NOT_STANDING' });
    expect(filingRefusal({ ...dunhua, state: 'expired' }, rereview)?.message).toContain('expired');
    expect(filingRefusal(dunhua, { ...rereview, countyCode: '222401' })?.code).toBe('ANOTHER_COUNTY');
    expect(filingRefusal(dunhua, { track: 'rereview', countyCode: '222403' })?.code).toBe('NO_COHORT');
  });

  it('takes any standing entry of the county for a typical case, national or provincial', () => {
    const typical = { track: 'typical-case' as const, countyCode: '222403' };
    expect(eligibleEntries([dunhua, provincial, { ...fengtai }], typical)).toEqual([dunhua, provincial]);
    expect(filingRefusal({ ...provincial, state: 'revoked' }, typical)?.code).toBe('NOT_STANDING');
  });

  it('names the identity fields a patch would change, and none for the same values', () => {
    const current = { clusterName: 'A', leadingIndustry: 'B', subSector: '' };
    expect(identityChanges(current, { clusterName: 'A', subSector: '' })).toEqual([]);
    expect(identityChanges(current, { clusterName: 'X', leadingIndustry: 'B', subSector: 'Y' })).toEqual([
      'clusterName',
      'subSector',
    ]);
  });

  it('offers the portal the entries the campaign’s track takes', async () => {
    const register = new MemoryRegister([dunhua, provincial]);
    expect((await entriesToFile(register, miit2025Rereview, 'rereview', '222403')).map((e) => e.entryId)).toEqual([
      dunhua.entryId,
    ]);
    expect(await entriesToFile(register, miit2024TypicalCases, 'typical-case', '222403')).toHaveLength(2);
    expect(await entriesToFile(register, miit2025Rereview, 'recommendation', '222403')).toEqual([]);
  });
});

describe('a draft filed for a register entry', () => {
  let records: FakeRecords;
  let register: MemoryRegister;
  let intake: Intake;
  const workflow: ReviewWorkflow = { start: async () => {}, resubmitted: async () => {} };
  const caller = { principal: PEOPLE.dunhuaApplicant, requestId: 'r1' };
  const refusal = async (work: Promise<unknown>) => work.then(() => undefined).catch((error: unknown) => error);

  beforeEach(() => {
    records = new FakeRecords();
    register = new MemoryRegister([dunhua, provincial, fengtai]);
    intake = new Intake({
      records,
      workflow,
      register,
      campaigns: new CampaignCatalog(
        {
          putCampaign: async () => {},
          getStoredCampaign: async () => undefined,
          listStoredCampaigns: async () => [],
        },
        () => NOW,
      ),
      clock: () => NOW,
      newId: () => '5a0c1e38-7a52-4c1f-9f3e-0d6c1b2a3f40',
    });
  });

  const create = (body: Record<string, unknown>) =>
    intake.create(
      { campaignId: miit2025Rereview.campaignId, track: 'rereview', countyCode: '222403', ...body },
      caller,
    );

  it('is pre-filled from the entry: name, county, leading industry, sub-sector, and names it', async () => {
    const view = await create({ registerEntryId: dunhua.entryId });
    expect(view).toMatchObject({ clusterName: '敦化市医药产业集群', leadingIndustry: '医药', subSector: '' });
    expect(records.applications.get(view.applicationId)).toMatchObject({
      registerEntryId: dunhua.entryId,
      countyCode: '222403',
    });
  });

  it('is refused without an entry, for a non-member, a revoked entry or another county’s, naming registerEntryId', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'registerEntryId'],
      [{ registerEntryId: provincial.entryId }, 'NOT_A_MEMBER'],
      [{ registerEntryId: fengtai.entryId }, 'NOT_A_MEMBER'],
      [{ registerEntryId: 'national#2022#222403#不存在' }, 'NOT_IN_REGISTER'],
    ];
    for (const [body, expected] of cases) {
      const error = await refusal(create(body));
      expect(error, expected).toMatchObject({ status: 400 });
      expect(JSON.stringify((error as { details: unknown }).details), expected).toContain(expected);
      expect(JSON.stringify((error as { details: unknown }).details)).toContain('registerEntryId');
    }
    register.entries.set(dunhua.entryId, { ...dunhua, state: 'revoked' });
    expect(await refusal(create({ registerEntryId: dunhua.entryId }))).toMatchObject({
      status: 400,
      details: [{ field: 'registerEntryId', code: 'NOT_STANDING' }],
    });
    expect(records.applications.size).toBe(0);
  });

  it('refuses another county filing for the entry (the entry’s county files it)', async () => {
    register.entries.set(dunhua.entryId, { ...dunhua, countyCode: '222401' });
    expect(await refusal(create({ registerEntryId: dunhua.entryId }))).toMatchObject({
      details: [{ field: 'registerEntryId', code: 'ANOTHER_COUNTY' }],
    });
  });

  it('refuses an identity sent with other values than the entry’s, naming the field', async () => {
    expect(await refusal(create({ registerEntryId: dunhua.entryId, clusterName: '敦化市新名称' }))).toMatchObject({
      status: 400,
      details: [{ field: 'clusterName', code: 'IDENTITY_LOCKED' }],
    });
  });

  it('keeps its identity locked: PATCH refuses a change of name, industry or sub-sector (409 naming it)', async () => {
    const { applicationId } = await create({ registerEntryId: dunhua.entryId });
    for (const field of ['clusterName', 'leadingIndustry', 'subSector']) {
      expect(await refusal(intake.patch(applicationId, { [field]: '别的' }, caller)), field).toMatchObject({
        status: 409,
        code: 'IDENTITY_LOCKED',
        details: [{ field }],
      });
    }
    // The form posts every field: the same identity is no change, and the form is saved.
    const saved = await intake.patch(applicationId, { clusterName: '敦化市医药产业集群', form: {} }, caller);
    expect(saved.revision).toBe(1);
  });
});
