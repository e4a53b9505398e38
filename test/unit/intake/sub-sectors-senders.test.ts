import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campaignKey } from '../../../shared/adapters/dynamo-campaigns.ts';
import { keys } from '../../../shared/adapters/dynamo-records/keys.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { CHANGBAISHAN_CODE } from '../../../shared/rules/jurisdictions.ts';
import { apiEvent, APP_ID, sampleApplication } from '../support.ts';

/*
 * The county's side of issue 12's sub-sector list and senders, through the applications function:
 * where a list exists (Shanxi's overlay) the sub-sector is picked from it and free text is refused
 * with 400 naming `subSector`; elsewhere (Jilin) free text stays. The draft's city is the routed
 * one: none for 梅河口 and 长白山 (Jilin's direct senders), 综改区 itself for the zone.
 */

process.env.TABLE_NAME = 'Records';
process.env.BUCKET_NAME = 'evidence-bucket';
process.env.STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:ReviewLadder';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';

const ddb = mockClient(DynamoDBDocumentClient);
const campaign = demoCampaign(new Date());

type Handler = (event: ReturnType<typeof apiEvent>) => Promise<{ statusCode: number; body: string }>;
let applications: Handler;

beforeAll(async () => {
  applications = (await import('../../../functions/applications.ts')).handler;
});

const stored = new Map<string, Record<string, unknown>>();
beforeEach(() => {
  ddb.reset();
  stored.clear();
  const key = campaignKey(campaign.campaignId);
  stored.set(`${key.pk}|${key.sk}`, { definition: campaign });
  ddb.on(GetCommand).callsFake(({ Key }) => ({ Item: stored.get(`${Key.pk}|${Key.sk}`) }));
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
});

const applicantOf = (countyCode: string): Principal => ({
  sub: `applicant-${countyCode}`,
  role: 'applicant',
  jurisdiction: countyCode,
});
const create = (countyCode: string, subSector: string) =>
  applications(
    apiEvent('POST /v1/applications', {
      body: {
        campaignId: campaign.campaignId,
        track: 'recommendation',
        countyCode,
        clusterName: '示例产业集群',
        leadingIndustry: '装备制造',
        subSector,
      },
      as: applicantOf(countyCode),
    }),
  );
const json = (result: { body: string }) => JSON.parse(result.body);
const stages = (result: { body: string }) =>
  (json(result).reviewChain as { stage: string; jurisdictionCode: string }[]).map(
    (s) => `${s.stage}:${s.jurisdictionCode}`,
  );

describe('sub-sectors from a list', () => {
  it('refuses free text where the province lists its sub-sectors: 400 naming subSector, nothing written', async () => {
    for (const text of ['煤矿机械装备', '煤机裝備', '其他']) {
      const result = await create('140105', text);
      expect(result.statusCode, text).toBe(400);
      expect(json(result).error.details).toEqual([
        expect.objectContaining({ field: 'subSector', code: 'NOT_IN_LIST' }),
      ]);
    }
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('takes a listed sub-sector by id or by name, and stores the list’s spelling', async () => {
    const byId = await create('140105', 'coal-machinery');
    expect(byId.statusCode, byId.body).toBe(201);
    expect(json(byId).subSector).toBe('煤机装备');
    const byName = await create('140105', '煤机 装备');
    expect(byName.statusCode, byName.body).toBe(201);
    expect(json(byName).subSector).toBe('煤机装备');
  });

  it('keeps free text where no list exists (Jilin)', async () => {
    const result = await create('222403', '中成药');
    expect(result.statusCode, result.body).toBe(201);
    expect(json(result).subSector).toBe('中成药');
  });

  it('refuses an unlisted sub-sector on PATCH too, naming the field', async () => {
    const draft = sampleApplication({
      campaignId: campaign.campaignId,
      countyCode: '140105',
      provincialCode: '140000',
      cityCode: '140100',
      subSector: '煤机装备',
      dueAt: campaign.calendar.submission ?? campaign.calendar.province,
    });
    const key = keys.application(APP_ID);
    stored.set(`${key.pk}|${key.sk}`, draft);
    const result = await applications(
      apiEvent('PATCH /v1/applications/{applicationId}', {
        body: { subSector: '煤矿机械装备' },
        pathParameters: { applicationId: APP_ID },
        as: applicantOf('140105'),
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(json(result).error.details).toEqual([expect.objectContaining({ field: 'subSector' })]);
  });
});

describe('senders at intake', () => {
  it('梅河口 files with no city: its draft goes to Jilin’s province directly', async () => {
    const result = await create('220581', '医药');
    expect(result.statusCode, result.body).toBe(201);
    expect(json(result).cityCode).toBeUndefined();
    expect(stages(result)).toEqual(['province:220000', 'miit:000000']);
  });

  it('长白山管委会 files under its programme code, straight to the province', async () => {
    const result = await create(CHANGBAISHAN_CODE, '矿泉水');
    expect(result.statusCode, result.body).toBe(201);
    expect(json(result)).toMatchObject({ provincialCode: '220000' });
    expect(json(result).cityCode).toBeUndefined();
    expect(stages(result)).toEqual(['province:220000', 'miit:000000']);
  });

  it('综改区 is its own city-level stage, not 太原市', async () => {
    const result = await create('140171', 'new-materials');
    expect(result.statusCode, result.body).toBe(201);
    expect(json(result)).toMatchObject({ cityCode: '140171', provincialCode: '140000' });
    expect(stages(result)).toEqual(['city:140171', 'province:140000', 'miit:000000']);
  });
});
