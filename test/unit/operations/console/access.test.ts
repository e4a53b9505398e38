import { describe, expect, it } from 'vitest';
import { assertAllowed, may } from '../../../../shared/platform/auth/policy.ts';
import type { Principal } from '../../../../shared/platform/auth/principal.ts';
import { type ConsoleDeps, consolePage } from '../../../../shared/operations/console/index.ts';
import { OpsDesk } from '../../../../shared/operations/desk.ts';
import { demoCampaign } from '../../../../shared/rules/campaigns/index.ts';
import { PEOPLE } from '../../support.ts';
import { consoleRequest, fakeDeps, history, IDS } from './fixtures.ts';

/**
 * The console for each principal: the pages call the real OpsDesk (empty reads), so what a page
 * shows or refuses is the policy's answer, rendered.
 */

const campaign = demoCampaign(new Date('2026-11-01T00:00:00Z'));
const CAMPAIGN_ID = campaign.campaignId;
const DUNHUA = { countyCode: '222403', cityCode: '222400', provincialCode: '220000' };

function realDeps() {
  const reads: string[] = [];
  const desk = new OpsDesk({
    campaigns: { get: async () => campaign },
    reads: {
      tallies: async (_c, kind) => (reads.push(`tallies:${kind}`), []),
      late: async () => (reads.push('late'), []),
      quotaCounters: async () => new Map(),
      applications: async () => [],
      applicationsOf: async () => (reads.push('applicationsOf'), []),
      quotaUsage: async () => [],
    },
    executions: { failures: async () => [], redrive: async () => Promise.reject(new Error('not here')) },
    records: { appendAudit: async () => undefined },
    clock: () => new Date('2026-11-24T04:00:00Z'),
  });
  const deps: ConsoleDeps = {
    ops: {
      summary: (query, principal) => desk.summary(query, principal),
      jurisdiction: (code, query, principal) => desk.jurisdiction(code, query, principal),
      // As Intake.history does: the application's place decides who may read its timeline.
      history: async (_id, principal) => (assertAllowed(may.read(principal, DUNHUA), 'read', principal), history),
    },
    campaigns: async () => [{ campaignId: CAMPAIGN_ID, name: campaign.name, year: 2026, open: true }],
  };
  return { deps, reads };
}

/** The page a principal gets, and what the desk read to answer it. */
async function page(principal: Principal, name: string | undefined, query: Record<string, string> = {}) {
  const { deps, reads } = realDeps();
  const { statusCode, headers, body } = await consolePage(consoleRequest(name, query, principal), deps);
  return { statusCode, headers, body, reads };
}

describe('the console header', () => {
  it('names who is signed in (role, jurisdiction) and offers a sign-out form', async () => {
    const { body } = await page(PEOPLE.jilinOperator, 'jurisdiction', { campaignId: CAMPAIGN_ID, code: '220000' });
    expect(body).toContain('data-signed-in="operator:220000"');
    expect(body).toMatch(/运维人员 · 吉林省<\/span>/);
    expect(body).toContain(
      '<form method="post" action="/console/sign-out"><button type="submit">退出登录</button></form>',
    );
  });

  it('says "national" for a national operator, and keeps English on the sign-out form', async () => {
    const { body } = await page(PEOPLE.nationalOperator, 'board', { lang: 'en' });
    expect(body).toMatch(/Operator · national<\/span>/);
    expect(body).toContain('action="/console/sign-out?lang=en"><button type="submit">Sign out</button>');
  });

  it('escapes the name the token carries', async () => {
    const named = { ...PEOPLE.nationalOperator, name: '<b>张三</b>' };
    const { body } = await consolePage(consoleRequest('board', {}, named), fakeDeps());
    expect(body).toContain('<strong>&lt;b&gt;张三&lt;/b&gt;</strong>');
  });
});

describe('the board and home, per principal', () => {
  it('shows a national operator the national board, reading it for that principal', async () => {
    const deps = fakeDeps();
    const answer = await consolePage(
      consoleRequest('board', { campaignId: 'miit-2025-recommendation' }, PEOPLE.nationalOperator),
      deps,
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('id="provinces"');
    expect(deps.calls.principals).toEqual([PEOPLE.nationalOperator]);
  });

  it("links a provincial operator's campaign picker to its own province's page", async () => {
    for (const name of [undefined, 'board']) {
      const answer = await page(PEOPLE.jilinOperator, name);
      expect(answer.statusCode).toBe(200);
      expect(answer.body).toContain(`href="/console/jurisdiction?campaignId=${CAMPAIGN_ID}&amp;code=220000"`);
      expect(answer.body).not.toContain('href="/console/board?campaignId=');
      expect(answer.reads).toEqual([]);
    }
  });

  it("sends a provincial operator from a campaign's board to its province's page (303), keeping track and language", async () => {
    const answer = await page(PEOPLE.jilinOperator, undefined, {
      campaignId: CAMPAIGN_ID,
      track: 'recommendation',
      lang: 'en',
    });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(
      `/console/jurisdiction?campaignId=${CAMPAIGN_ID}&code=220000&track=recommendation&lang=en`,
    );
    expect(answer.body).toBe('');
    expect(answer.reads).toEqual([]);
  });

  it("sends a reviewer to the inbox from the console's home (where signing in and the brand link lead), reading nothing", async () => {
    for (const principal of [PEOPLE.jilinReviewer, PEOPLE.miitReviewer]) {
      for (const which of [undefined, 'board']) {
        const answer = await page(principal, which);
        expect(answer.statusCode, principal.sub).toBe(303);
        expect(answer.headers.location).toBe('/console/inbox');
        expect(answer.reads).toEqual([]);
      }
    }
  });

  it("refuses reviewers and applicants a campaign's board with a 403 page, reading nothing; a reviewer is shown the way to the inbox", async () => {
    for (const principal of [PEOPLE.jilinReviewer, PEOPLE.miitReviewer, PEOPLE.dunhuaApplicant]) {
      const queries = principal.role === 'reviewer' ? [{ campaignId: CAMPAIGN_ID }] : [{}, { campaignId: CAMPAIGN_ID }];
      for (const query of queries as Record<string, string>[]) {
        const answer = await page(principal, undefined, query);
        expect(answer.statusCode, principal.sub).toBe(403);
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(answer.body).toContain('无权查看');
        expect(answer.body).toContain('<code>authorization</code>');
        expect(answer.reads).toEqual([]);
      }
    }
    expect((await page(PEOPLE.jilinReviewer, 'board', { campaignId: CAMPAIGN_ID })).body).toContain(
      '<a href="/console/inbox">前往审核待办</a>',
    );
    expect((await page(PEOPLE.dunhuaApplicant, 'board')).body).toContain('<a href="/console/board">返回总览</a>');
  });
});

describe('drill-downs and timelines, per principal', () => {
  const drill = (principal: Principal, code: string) =>
    page(principal, 'jurisdiction', { campaignId: CAMPAIGN_ID, code, lang: 'en' });

  it('shows an operator its scope and what lies below it', async () => {
    for (const [principal, code] of [
      [PEOPLE.jilinOperator, '220000'],
      [PEOPLE.jilinOperator, '222403'],
      [PEOPLE.nationalOperator, '140000'],
    ] as const) {
      const answer = await drill(principal, code);
      expect(answer.statusCode, `${principal.sub} → ${code}`).toBe(200);
      expect(answer.body).toContain(`<code>${code}</code>`);
    }
  });

  it('refuses another province, and anyone who is no operator, with a 403 page, reading nothing', async () => {
    for (const [principal, code] of [
      [PEOPLE.jilinOperator, '140000'],
      [PEOPLE.jilinOperator, '130102'],
      [PEOPLE.jilinReviewer, '220000'],
      [PEOPLE.dunhuaApplicant, '222403'],
    ] as const) {
      const answer = await drill(principal, code);
      expect(answer.statusCode, `${principal.sub} → ${code}`).toBe(403);
      expect(answer.body).toContain('Not allowed');
      // The rule in the page's language alone, not the API's line for developers (A … of … may not).
      expect(answer.body).toContain('you may not watch a jurisdiction outside its scope');
      expect(answer.body).not.toContain(' of 2');
      expect(answer.reads).toEqual([]);
    }
  });

  it("reads an application's timeline for the signed-in principal, and renders a refusal as a 403 page", async () => {
    const deps = fakeDeps();
    await consolePage(consoleRequest('application', { id: IDS.dunhua }, PEOPLE.jilinOperator), deps);
    expect(deps.calls.principals).toEqual([PEOPLE.jilinOperator]);

    expect((await page(PEOPLE.jilinOperator, 'application', { id: IDS.dunhua })).statusCode).toBe(200);
    const hebei = { sub: 'operator-130000', role: 'operator', jurisdiction: '130000' } as const;
    const refused = await page(hebei, 'application', { id: IDS.dunhua });
    expect(refused.statusCode).toBe(403);
    // A Chinese page: the rule's Chinese half alone.
    expect(refused.body).toContain('只能查看本辖区内的申报');
    expect(refused.body).not.toContain('may not read');
    expect(refused.body).not.toContain('敦化市医药产业集群');
  });

  it('answers 401 when no one is signed in (the handler sends browsers to sign in before this)', async () => {
    await expect(consolePage(consoleRequest('board', {}, null), fakeDeps())).rejects.toMatchObject({ status: 401 });
  });
});
