import { describe, expect, it } from 'vitest';
import { OpsDesk } from '../../../shared/operations/desk.ts';
import type { OpsReads } from '../../../shared/ports/operations.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import type { ApplicationRecord, AuditEvent } from '../../../shared/schemas/records.ts';
import { OpsSummarySchema } from '../../../shared/schemas/ops.ts';
import type { Tally } from '../../../shared/schemas/tallies.ts';
import { PEOPLE, sampleApplication } from '../support.ts';

const now = new Date('2026-11-24T04:00:00Z');
const campaign = demoCampaign(new Date('2026-11-01T00:00:00Z'));
const base = { campaignId: campaign.campaignId, track: 'recommendation' as const };
const national = PEOPLE.nationalOperator;

function tally(fields: Partial<Tally> & Pick<Tally, 'kind' | 'status' | 'count'>): Tally {
  return { ...base, ...fields };
}

function application(overrides: Partial<ApplicationRecord>): ApplicationRecord {
  return { ...sampleApplication(), campaignId: campaign.campaignId, ...overrides };
}

function desk(reads: Partial<OpsReads>, failures: Awaited<ReturnType<OpsDesk['summary']>>['failedExecutions'] = []) {
  const appended: AuditEvent[] = [];
  const redrives: string[] = [];
  const ops = new OpsDesk({
    campaigns: { get: async (id) => (id === campaign.campaignId ? campaign : Promise.reject(new Error(`no ${id}`))) },
    reads: {
      tallies: async () => [],
      late: async () => [],
      quotaCounters: async () => new Map(),
      applications: async () => [],
      applicationsOf: async () => [],
      quotaUsage: async () => [],
      ...reads,
    },
    executions: {
      failures: async () =>
        failures.map(({ stopDate, startDate, ...f }) => ({
          ...f,
          startDate: new Date(startDate),
          ...(stopDate !== undefined && { stopDate: new Date(stopDate) }),
        })),
      redrive: async (name) => {
        redrives.push(name);
        return { executionArn: `arn:aws-cn:states:cn-north-1:1:execution:Ladder:${name}`, redriveDate: now };
      },
    },
    records: { appendAudit: async (event) => void appended.push(event) },
    clock: () => now,
    newId: () => '00000000-0000-4000-8000-000000000001',
  });
  return { ops, appended, redrives };
}

describe('the ops summary', () => {
  it('adds the province tallies into the board and the totals, leaving out emptied entries', async () => {
    const { ops } = desk({
      tallies: async (_c, kind) =>
        kind === 'province'
          ? [
              tally({ kind, provincialCode: '220000', status: 'CITY_REVIEW', count: 3 }),
              tally({ kind, provincialCode: '220000', status: 'DRAFT', count: 2 }),
              tally({ kind, provincialCode: '140000', status: 'PROVINCE_REVIEW', count: 1 }),
            ]
          : [],
      quotaCounters: async () => new Map([['recommendation#provincial#220000', { used: 8, limit: 8 }]]),
    });
    const summary = OpsSummarySchema.parse(await ops.summary({ campaignId: campaign.campaignId }, national));
    expect(summary.totals).toEqual({ total: 6, byStatus: { CITY_REVIEW: 3, DRAFT: 2, PROVINCE_REVIEW: 1 } });
    expect(summary.provinces.map((p) => [p.code, p.name, p.total])).toEqual([
      ['140000', '山西省', 1],
      ['220000', '吉林省', 5],
    ]);
    expect(summary.stages).toEqual([
      { stage: 'draft', pending: 2, overdue: 0 },
      { stage: 'city', pending: 3, overdue: 0 },
      { stage: 'province', pending: 1, overdue: 0 },
    ]);
    // A counter that exists reports its use; one nobody reserved in reads 0 of the campaign's limit.
    const jilin = summary.quotas.find((q) => q.jurisdictionCode === '220000');
    const shanxi = summary.quotas.find((q) => q.jurisdictionCode === '140000');
    expect(jilin).toMatchObject({ used: 8, limit: 8, scope: 'provincial' });
    expect(shanxi).toMatchObject({ used: 0, limit: campaign.quotas.byRank.province });
  });

  it('lists late applications with days late and counts them as overdue at their stage', async () => {
    const late = application({
      status: 'OVERDUE',
      stage: 'city',
      dueAt: '2026-11-21T16:00:00.000Z',
      clusterName: '敦化市医药产业集群',
    });
    const { ops } = desk({
      late: async (_c, at) => (at.getTime() === now.getTime() ? [late] : []),
      tallies: async (_c, kind) =>
        kind === 'province' ? [tally({ kind, provincialCode: '220000', status: 'OVERDUE', count: 1 })] : [],
    });
    const summary = await ops.summary({ campaignId: campaign.campaignId }, national);
    expect(summary.late).toEqual([
      expect.objectContaining({ clusterName: '敦化市医药产业集群', status: 'OVERDUE', stage: 'city', daysLate: 2.5 }),
    ]);
    expect(summary.late[0]?.place).toContain('敦化市');
    expect(summary.stages).toEqual([{ stage: 'city', pending: 0, overdue: 1 }]);
  });

  it("puts pending counts on their deadline day, marks past days, and shows the campaign's own dates", async () => {
    const { ops } = desk({
      tallies: async (_c, kind) =>
        kind === 'due'
          ? [
              tally({ kind, dueDate: '2026-11-20', status: 'CITY_REVIEW', count: 2 }),
              tally({ kind, dueDate: '2026-12-01', status: 'CITY_REVIEW', count: 4 }),
              tally({ kind, dueDate: '2026-12-01', status: 'RETURNED', count: 1 }),
            ]
          : [],
    });
    const { calendar } = await ops.summary({ campaignId: campaign.campaignId }, national);
    expect(calendar.find((d) => d.date === '2026-11-20')).toMatchObject({ total: 2, past: true });
    expect(calendar.find((d) => d.date === '2026-12-01')).toMatchObject({
      total: 5,
      past: false,
      byStatus: { CITY_REVIEW: 4, RETURNED: 1 },
    });
    const cityDeadline = calendar.find((d) => d.milestones.includes('市级推荐截止 / city deadline'));
    expect(cityDeadline?.date).toBe(
      new Date(Date.parse(campaign.calendar.city ?? '') + 8 * 3600_000).toISOString().slice(0, 10),
    );
    expect(calendar.map((d) => d.date)).toEqual([...calendar.map((d) => d.date)].sort());
  });

  it('names the cluster behind each failed execution and sorts the latest first', async () => {
    const app = application({});
    const { ops } = desk({ applications: async (ids) => (ids.includes(app.applicationId) ? [app] : []) }, [
      {
        executionName: `${app.applicationId}-r1`,
        executionArn: 'arn:1',
        status: 'FAILED',
        startDate: '2026-11-20T00:00:00.000Z',
        stopDate: '2026-11-20T01:00:00.000Z',
        error: 'Lambda.ServiceException',
        cause: 'boom',
        redriveCount: 0,
        redrivable: true,
      },
      {
        executionName: 'not-a-ladder-execution',
        executionArn: 'arn:2',
        status: 'TIMED_OUT',
        startDate: '2026-11-22T00:00:00.000Z',
        redriveCount: 1,
        redrivable: true,
      },
    ]);
    const { failedExecutions } = await ops.summary({ campaignId: campaign.campaignId }, national);
    expect(failedExecutions.map((f) => [f.executionName, f.clusterName])).toEqual([
      ['not-a-ladder-execution', undefined],
      [`${app.applicationId}-r1`, app.clusterName],
    ]);
    expect(failedExecutions[1]).toMatchObject({ error: 'Lambda.ServiceException', cause: 'boom' });
  });

  it('refuses a missing campaign id and an unknown track, naming the field', async () => {
    const { ops } = desk({});
    await expect(ops.summary({}, national)).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ field: 'query.campaignId' })],
    });
    await expect(ops.summary({ campaignId: campaign.campaignId, track: 'nonsense' }, national)).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ field: 'query.track' })],
    });
  });
});

describe('the drill-down', () => {
  it("counts a province's cities from the county tallies and shows its quota holders by name", async () => {
    const holder = application({ clusterName: '持有名额的集群' });
    const asked: (readonly string[] | undefined)[] = [];
    const { ops } = desk({
      tallies: async (_c, kind, within) =>
        (asked.push(within), kind === 'county')
          ? [
              tally({
                kind,
                provincialCode: '220000',
                cityCode: '222400',
                countyCode: '222403',
                status: 'CITY_REVIEW',
                count: 2,
              }),
              tally({
                kind,
                provincialCode: '220000',
                cityCode: '220100',
                countyCode: '220102',
                status: 'DRAFT',
                count: 1,
              }),
              tally({
                kind,
                provincialCode: '140000',
                cityCode: '140100',
                countyCode: '140105',
                status: 'DRAFT',
                count: 9,
              }),
            ]
          : [],
      quotaUsage: async (_c, _t, code) =>
        code === '220000'
          ? [{ scope: 'provincial', jurisdictionCode: '220000', used: 1, limit: 8, holders: [holder.applicationId] }]
          : [],
      applications: async () => [holder],
      applicationsOf: async (code) => (code === '220000' ? [holder] : []),
    });
    const view = await ops.jurisdiction('220000', { campaignId: campaign.campaignId }, national);
    expect(view.totals.total).toBe(3);
    expect(view.children.map((c) => [c.code, c.total])).toEqual([
      ['220100', 1],
      ['222400', 2],
    ]);
    expect(view.quotas).toEqual([
      expect.objectContaining({
        jurisdictionCode: '220000',
        used: 1,
        limit: 8,
        holders: [{ applicationId: holder.applicationId, clusterName: '持有名额的集群' }],
      }),
    ]);
    expect(view.applications.map((a) => a.clusterName)).toEqual(['持有名额的集群']);
    // Only the province's own county tallies are read (a sort-key prefix), not the whole campaign's.
    expect(asked).toEqual([['recommendation', '220000']]);

    const city = await ops.jurisdiction('222400', { campaignId: campaign.campaignId }, national);
    expect(city.children.map((c) => [c.code, c.total])).toEqual([['222403', 2]]);
    expect(city.jurisdiction.chain.map((j) => j.code)).toEqual(['220000', '222400']);
  });

  it('refuses an unknown jurisdiction code', async () => {
    await expect(
      desk({}).ops.jurisdiction('999999', { campaignId: campaign.campaignId }, national),
    ).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ field: 'path.code' })],
    });
  });
});

describe('who watches what', () => {
  /** A desk that records every read, so a refusal can be shown to read nothing. */
  function watchedDesk() {
    const reads: string[] = [];
    const { ops } = desk({
      tallies: async (_c, kind) => (reads.push(`tallies:${kind}`), []),
      late: async () => (reads.push('late'), []),
      applicationsOf: async (code) => (reads.push(`applicationsOf:${code}`), []),
      quotaUsage: async () => (reads.push('quotaUsage'), []),
    });
    return { ops, reads };
  }
  const query = { campaignId: campaign.campaignId };

  it('gives the national board to national operators only', async () => {
    const { ops, reads } = watchedDesk();
    await expect(ops.summary(query, PEOPLE.nationalOperator)).resolves.toMatchObject({
      campaign: { campaignId: campaign.campaignId },
    });
    expect(reads).toContain('tallies:province');

    reads.length = 0;
    for (const principal of [PEOPLE.miitReviewer, PEOPLE.jilinReviewer, PEOPLE.dunhuaApplicant]) {
      await expect(ops.summary(query, principal), principal.sub).rejects.toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    expect(reads).toEqual([]);
  });

  it('points a provincial operator from the national board to its own drill-down', async () => {
    const { ops, reads } = watchedDesk();
    const refusal = ops.summary(query, PEOPLE.jilinOperator);
    await expect(refusal).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      message: expect.stringContaining('/v1/ops/jurisdictions/220000'),
      details: [expect.objectContaining({ field: 'authorization', drillDown: '/v1/ops/jurisdictions/220000' })],
    });
    expect(reads).toEqual([]);
  });

  it('lets an operator drill down into its scope and what lies below it', async () => {
    const { ops } = watchedDesk();
    for (const code of ['220000', '222400', '222403']) {
      await expect(ops.jurisdiction(code, query, PEOPLE.jilinOperator), code).resolves.toMatchObject({
        jurisdiction: { code },
      });
      await expect(ops.jurisdiction(code, query, PEOPLE.nationalOperator), code).resolves.toMatchObject({
        jurisdiction: { code },
      });
    }
  });

  it('refuses a drill-down outside the scope, and to anyone who is no operator, before reading', async () => {
    const { ops, reads } = watchedDesk();
    const refused = [
      [PEOPLE.jilinOperator, '140000'], // another province
      [PEOPLE.jilinOperator, '130102'], // a county of another province
      [PEOPLE.jilinReviewer, '220000'], // a reviewer watches no drill-down, even its own
      [PEOPLE.yanbianReviewer, '222403'],
      [PEOPLE.dunhuaApplicant, '222403'],
    ] as const;
    for (const [principal, code] of refused) {
      await expect(ops.jurisdiction(code, query, principal), `${principal.sub} → ${code}`).rejects.toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
        details: [expect.objectContaining({ field: 'authorization' })],
      });
    }
    expect(reads).toEqual([]);
  });
});

describe('redrive', () => {
  const jilinApp = sampleApplication();
  const name = `${jilinApp.applicationId}-r3`;
  const withApplication = () =>
    desk({ applications: async (ids) => (ids.includes(jilinApp.applicationId) ? [jilinApp] : []) });

  it('redrives a ladder execution and notes it in the audit trail with the operator who did it', async () => {
    const { ops, appended, redrives } = withApplication();
    const result = await ops.redrive(name, PEOPLE.jilinOperator, 'req-9');
    expect(redrives).toEqual([name]);
    expect(result).toMatchObject({ executionName: name, redriveDate: now.toISOString() });
    expect(appended).toEqual([
      expect.objectContaining({
        applicationId: jilinApp.applicationId,
        action: 'EXECUTION_REDRIVEN',
        actor: 'operator-220000',
        role: 'operator',
        jurisdiction: '220000',
        requestId: 'req-9',
        detail: { executionName: name },
      }),
    ]);
    await ops.redrive(name, PEOPLE.nationalOperator, 'req-10');
    expect(appended[1]).toMatchObject({ actor: 'operator-000000', jurisdiction: '000000' });
  });

  it("refuses anyone who does not operate over the execution's application, without redriving or writing", async () => {
    const { ops, appended, redrives } = withApplication();
    const hebeiOperator = { sub: 'operator-130000', role: 'operator', jurisdiction: '130000' } as const;
    for (const principal of [hebeiOperator, PEOPLE.jilinReviewer, PEOPLE.miitReviewer, PEOPLE.dunhuaApplicant]) {
      await expect(ops.redrive(name, principal, 'r'), principal.sub).rejects.toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    expect(redrives).toEqual([]);
    expect(appended).toEqual([]);
  });

  it('answers 404 when no application stands behind the execution, before calling Step Functions', async () => {
    const { ops, redrives } = desk({});
    await expect(ops.redrive(name, PEOPLE.nationalOperator, 'r')).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(redrives).toEqual([]);
  });

  it('refuses a name that is no ladder execution, before calling Step Functions', async () => {
    const { ops, redrives } = withApplication();
    await expect(ops.redrive('x-r1', PEOPLE.nationalOperator, 'r')).rejects.toMatchObject({ status: 400 });
    expect(redrives).toEqual([]);
  });
});
