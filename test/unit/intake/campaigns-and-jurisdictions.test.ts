import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { apiEvent, PEOPLE } from '../support.ts';

/** Campaigns and the jurisdiction tree: reference data for anyone signed in; new campaigns from national operators. */

process.env.TABLE_NAME = 'Records';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';

const ddb = mockClient(DynamoDBDocumentClient);

type Handler = (event: ReturnType<typeof apiEvent>) => Promise<{ statusCode: number; body: string }>;
let campaigns: Handler;
let jurisdictions: Handler;

beforeAll(async () => {
  campaigns = (await import('../../../functions/campaigns.ts')).handler;
  jurisdictions = (await import('../../../functions/jurisdictions.ts')).handler;
});

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(PutCommand).resolves({});
});

const body = (result: { body: string }) => JSON.parse(result.body);
const newCampaign = { ...demoCampaign(new Date()), campaignId: 'test-2031-recommendation' };
const everyone: Principal[] = Object.values(PEOPLE);

describe('POST /v1/campaigns (national operators only)', () => {
  it('adds a campaign for a national operator', async () => {
    const result = await campaigns(apiEvent('POST /v1/campaigns', { body: newCampaign, as: PEOPLE.nationalOperator }));
    expect(result.statusCode).toBe(201);
    expect(body(result)).toMatchObject({ campaignId: 'test-2031-recommendation', builtIn: false });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('refuses a provincial operator, reviewers (MIIT’s too) and applicants, storing nothing', async () => {
    for (const principal of [PEOPLE.jilinOperator, PEOPLE.miitReviewer, PEOPLE.jilinReviewer, PEOPLE.dunhuaApplicant]) {
      const result = await campaigns(apiEvent('POST /v1/campaigns', { body: newCampaign, as: principal }));
      expect(result.statusCode, principal.sub).toBe(403);
      expect(body(result).error, principal.sub).toMatchObject({
        code: 'FORBIDDEN',
        details: [{ field: 'authorization' }],
      });
    }
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('refuses before reading the definition: a provincial operator’s bad body is 403, a national one’s 400', async () => {
    const bad = { campaignId: '' };
    const provincial = await campaigns(apiEvent('POST /v1/campaigns', { body: bad, as: PEOPLE.jilinOperator }));
    expect(provincial.statusCode).toBe(403);
    const national = await campaigns(apiEvent('POST /v1/campaigns', { body: bad, as: PEOPLE.nationalOperator }));
    expect(national.statusCode).toBe(400);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});

describe("POST /v1/campaigns: MIIT's own review window", () => {
  const withCalendar = (calendar: Record<string, unknown>) => ({ ...newCampaign, calendar });
  const { province } = newCampaign.calendar;
  const post = (definition: unknown) =>
    campaigns(apiEvent('POST /v1/campaigns', { body: definition, as: PEOPLE.nationalOperator }));
  const fields = (result: { body: string }) =>
    (body(result).error.details as { field: string }[]).map((detail) => detail.field);

  it("answers 400 naming calendar.miit for a calendar without MIIT's deadline, storing nothing", async () => {
    const result = await post(withCalendar({ province }));
    expect(result.statusCode).toBe(400);
    expect(fields(result)).toEqual(['calendar.miit']);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it("answers 400 naming calendar.miit when MIIT's deadline is the provinces' or within the window", async () => {
    for (const miit of [province, new Date(Date.parse(province) + 13 * 86_400_000).toISOString()]) {
      const result = await post(withCalendar({ province, miit }));
      expect(result.statusCode, miit).toBe(400);
      expect(fields(result), miit).toEqual(['calendar.miit']);
    }
    const shortWindow = await post(withCalendar({ province, miit: province, miitWindowDays: 0 }));
    expect(fields(shortWindow)).toContain('calendar.miitWindowDays');
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('adds a campaign whose MIIT deadline leaves the window', async () => {
    const miit = new Date(Date.parse(province) + 14 * 86_400_000).toISOString();
    const result = await post(withCalendar({ province, miit }));
    expect(result.statusCode).toBe(201);
    expect(body(result).calendar).toMatchObject({ miit, miitWindowDays: 14 });
  });
});

describe('reading campaigns and jurisdictions (anyone signed in)', () => {
  const readsAs = (as: Principal) => [
    campaigns(apiEvent('GET /v1/campaigns', { as })),
    campaigns(
      apiEvent('GET /v1/campaigns/{campaignId}', { pathParameters: { campaignId: 'miit-2025-recommendation' }, as }),
    ),
    jurisdictions(apiEvent('GET /v1/jurisdictions/{code}', { pathParameters: { code: '222403' }, as })),
  ];

  it('answers every role, wherever it sits', async () => {
    for (const principal of everyone) {
      for (const result of await Promise.all(readsAs(principal))) expect(result.statusCode, principal.sub).toBe(200);
    }
  });

  it('answers the county its review chain', async () => {
    const result = await jurisdictions(
      apiEvent('GET /v1/jurisdictions/{code}', { pathParameters: { code: '222403' }, as: PEOPLE.hebeiApplicant }),
    );
    expect(body(result).reviewStages.map((stage: { jurisdictionCode: string }) => stage.jurisdictionCode)).toEqual([
      '222400',
      '220000',
      '000000',
    ]);
  });
});

describe('without a signed-in principal', () => {
  it('answers 401 on every route and stores nothing', async () => {
    const unsigned = [
      campaigns(apiEvent('GET /v1/campaigns')),
      campaigns(
        apiEvent('GET /v1/campaigns/{campaignId}', { pathParameters: { campaignId: 'miit-2025-recommendation' } }),
      ),
      campaigns(apiEvent('POST /v1/campaigns', { body: newCampaign })),
      jurisdictions(apiEvent('GET /v1/jurisdictions/{code}', { pathParameters: { code: '222403' } })),
    ];
    for (const result of await Promise.all(unsigned)) {
      expect(result.statusCode).toBe(401);
      expect(body(result).error.code).toBe('UNAUTHENTICATED');
    }
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});
