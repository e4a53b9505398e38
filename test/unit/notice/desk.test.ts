import { beforeEach, describe, expect, it } from 'vitest';
import { NoticeDesk } from '../../../shared/notice/desk.ts';
import type { Email } from '../../../shared/ports/core.ts';
import type { ObjectionStore } from '../../../shared/ports/notice.ts';
import type { ApplicationRecord, AuditEvent } from '../../../shared/schemas/records.ts';
import type { ObjectionRecord } from '../../../shared/schemas/reviews.ts';
import { application, APP_ID, campaignAt, daysFrom } from '../review/fixtures.ts';
import { PEOPLE } from '../support.ts';

/** Objections in memory, with the store's conditions: in notice and before its end to file; untriaged to triage. */
class FakeObjections implements ObjectionStore {
  readonly items = new Map<string, ObjectionRecord>();
  readonly audit: AuditEvent[] = [];
  constructor(private readonly apps: Map<string, ApplicationRecord>) {}
  async fileObjection(objection: ObjectionRecord, event: AuditEvent) {
    const app = this.apps.get(objection.applicationId);
    if (app?.status !== 'PUBLIC_NOTICE' || !(app.noticeEndsAt && app.noticeEndsAt > objection.filedAt)) return false;
    this.items.set(objection.objectionId, objection);
    this.audit.push(event);
    return true;
  }
  async listObjections(applicationId: string) {
    return [...this.items.values()].filter((o) => o.applicationId === applicationId);
  }
  async findObjection(objectionId: string) {
    return this.items.get(objectionId);
  }
  async listUntriaged() {
    return [...this.items.values()].filter((o) => !o.resolved);
  }
  async triage(objection: ObjectionRecord, triaged: ObjectionRecord, event: AuditEvent) {
    const current = this.items.get(objection.objectionId);
    const inNotice = this.apps.get(objection.applicationId)?.status === 'PUBLIC_NOTICE';
    if (!current || current.resolved || (triaged.outcome === 'upheld' && !inNotice))
      return { triaged: false as const, current };
    this.items.set(objection.objectionId, triaged);
    this.audit.push(event);
    return { triaged: true as const };
  }
}

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
let apps: Map<string, ApplicationRecord>;
let objections: FakeObjections;
let sent: Email[];
let desk: NoticeDesk;
let ids: number;

const inNotice = (overrides: Partial<ApplicationRecord> = {}) =>
  application(now, {
    status: 'PUBLIC_NOTICE',
    stage: 'miit',
    noticeStartedAt: daysFrom(now, -1),
    noticeEndsAt: daysFrom(now, 6),
    ...overrides,
  });

const objector = { name: '张三', organisation: '敦化市某企业', contact: 'zhang@example.com', reason: '产值数据不实' };
const fromPublic = { kind: 'public' as const, requestId: 'req-1' };
const caller = (principal: (typeof PEOPLE)[keyof typeof PEOPLE]) => ({ principal, requestId: 'req-2' });

beforeEach(() => {
  apps = new Map();
  objections = new FakeObjections(apps);
  sent = [];
  ids = 0;
  desk = new NoticeDesk({
    board: { inNotice: async () => [...apps.values()].filter((a) => a.status === 'PUBLIC_NOTICE') },
    objections,
    records: { getApplication: async (id) => apps.get(id) },
    campaigns: { list: async () => [{ ...campaign, open: true, builtIn: false }] },
    mailer: { send: async (email) => (sent.push(email), { messageId: 'm' }) },
    clock: () => now,
    publicBaseUrl: 'https://clusters.example.gov.cn',
    // Hex letters in every id, as a random UUID has them: a receipt typed in upper case differs from it.
    newId: () => `abcdef00-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  });
});

describe('the public notice', () => {
  it('lists what is in notice with what a notice publishes: place names, industry, holder and window', async () => {
    apps.set(APP_ID, inNotice());
    apps.set('x', application(now, { applicationId: '11111111-1111-4111-8111-111111111111', status: 'MIIT_REVIEW' }));
    const [entry, ...rest] = await desk.notices();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      applicationId: APP_ID,
      place: { county: '敦化市', province: '吉林省' },
      holder: { stage: 'miit', jurisdictionCode: '000000', name: '工业和信息化部' },
      window: { endsAt: daysFrom(now, 6) },
      open: true,
    });
  });
});

describe('objections', () => {
  it('an objection from the public is stored untriaged, addressed to the holder, and moves nothing', async () => {
    apps.set(APP_ID, inNotice());
    const objection = await desk.file(APP_ID, objector, fromPublic);
    expect(objection).toMatchObject({
      resolved: false,
      channel: 'public',
      name: '张三',
      addressedTo: { stage: 'miit', jurisdictionCode: '000000' },
    });
    expect(apps.get(APP_ID)?.status).toBe('PUBLIC_NOTICE');
    expect(objections.audit).toMatchObject([{ action: 'OBJECTION_FILED', actor: 'public', role: 'public' }]);
  });

  it('the public form needs a name, a contact and grounds, each named', async () => {
    apps.set(APP_ID, inNotice());
    const refused = await desk.file(APP_ID, { name: '', contact: '', reason: '' }, fromPublic).catch((e: unknown) => e);
    expect((refused as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual([
      'contact',
      'name',
      'reason',
    ]);
  });

  it('an application not in notice, past its window, or unknown answers the same 404', async () => {
    apps.set(APP_ID, inNotice({ status: 'MIIT_REVIEW' }));
    const messages = [];
    for (const id of [APP_ID, '22222222-2222-4222-8222-222222222222', 'not-a-uuid']) {
      const error = (await desk.file(id, objector, fromPublic).catch((e: unknown) => e)) as {
        status: number;
        details: unknown;
      };
      expect(error.status).toBe(404);
      messages.push(JSON.stringify(error.details));
    }
    expect(new Set(messages).size).toBe(1);
    apps.set(APP_ID, inNotice({ noticeEndsAt: daysFrom(now, -0.001) }));
    await expect(desk.file(APP_ID, objector, fromPublic)).rejects.toMatchObject({ status: 404 });
  });
});

describe('triage', () => {
  async function filed() {
    apps.set(APP_ID, inNotice());
    return desk.file(APP_ID, objector, fromPublic);
  }

  it('only the reviewers of the holding level, or an operator over it, triage; applicants never', async () => {
    const objection = await filed();
    for (const principal of [PEOPLE.jilinReviewer, PEOPLE.jilinOperator, PEOPLE.dunhuaApplicant]) {
      await expect(
        desk.triage(objection.objectionId, { outcome: 'dismissed', reason: 'x' }, caller(principal)),
      ).rejects.toMatchObject({ status: 403 });
    }
    expect(await desk.untriaged(PEOPLE.jilinReviewer)).toEqual([]);
    expect(await desk.untriaged(PEOPLE.miitReviewer)).toHaveLength(1);
    expect(await desk.untriaged(PEOPLE.nationalOperator)).toHaveLength(1);
  });

  it('dismissed needs a reason; the objector is emailed and the receipt shows it; a repeat changes nothing', async () => {
    const objection = await filed();
    await expect(
      desk.triage(objection.objectionId, { outcome: 'dismissed' }, caller(PEOPLE.miitReviewer)),
    ).rejects.toMatchObject({ status: 400, details: [{ field: 'reason' }] });
    const result = await desk.triage(
      objection.objectionId,
      { outcome: 'dismissed', reason: '经核实与事实不符' },
      caller(PEOPLE.miitReviewer),
    );
    expect(result).toMatchObject({
      changed: true,
      notified: true,
      objection: { resolved: true, outcome: 'dismissed' },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toEqual(['zhang@example.com']);
    expect(sent[0]?.text).toContain(`/notice/status?receipt=${objection.objectionId}`);
    expect(await desk.status(objection.objectionId)).toMatchObject({
      state: 'dismissed',
      resolution: '经核实与事实不符',
    });

    const again = await desk.triage(
      objection.objectionId,
      { outcome: 'dismissed', reason: '经核实与事实不符' },
      caller(PEOPLE.miitReviewer),
    );
    expect(again).toMatchObject({ changed: false, notified: false });
    expect(sent).toHaveLength(1);
    await expect(
      desk.triage(objection.objectionId, { outcome: 'upheld' }, caller(PEOPLE.miitReviewer)),
    ).rejects.toMatchObject({ status: 409, code: 'ALREADY_TRIAGED' });
    expect(objections.audit.map((e) => e.action)).toEqual(['OBJECTION_FILED', 'OBJECTION_DISMISSED']);
  });

  it('upheld only while the application is in notice; a phone number is not emailed', async () => {
    apps.set(APP_ID, inNotice());
    const objection = await desk.file(APP_ID, { ...objector, contact: '0433-6222222' }, fromPublic);
    apps.set(APP_ID, inNotice({ status: 'RECOGNIZED' }));
    await expect(
      desk.triage(objection.objectionId, { outcome: 'upheld' }, caller(PEOPLE.nationalOperator)),
    ).rejects.toMatchObject({ status: 409, code: 'NOTICE_CLOSED' });
    apps.set(APP_ID, inNotice());
    const upheld = await desk.triage(objection.objectionId, { outcome: 'upheld' }, caller(PEOPLE.nationalOperator));
    expect(upheld).toMatchObject({ changed: true, notified: false, objection: { outcome: 'upheld' } });
    expect(sent).toEqual([]);
    expect(await desk.status(objection.objectionId)).toMatchObject({ state: 'upheld', holder: '工业和信息化部' });
  });

  it('finds an objection by its receipt typed in upper case, as a UUID is the same whatever its case', async () => {
    apps.set(APP_ID, inNotice());
    const objection = await desk.file(APP_ID, objector, fromPublic);
    const typed = objection.objectionId.toUpperCase();
    expect(typed).not.toBe(objection.objectionId);
    expect(await desk.status(typed)).toMatchObject({ state: 'pending' });
  });
});
