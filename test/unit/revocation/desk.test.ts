import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { ConflictError } from '../../../shared/platform/errors.ts';
import type { Email } from '../../../shared/ports/core.ts';
import type { RegisterStore } from '../../../shared/ports/register.ts';
import type { FileOutcome, RevocationStore } from '../../../shared/ports/revocation.ts';
import { type RegisterEntry, registerEntryId } from '../../../shared/register/entry.ts';
import { RevocationDesk } from '../../../shared/revocation/desk.ts';
import {
  decidedRequest,
  mayMoveRequest,
  REVOCATION_STATES,
  type RevocationRequest,
} from '../../../shared/revocation/request.ts';
import type { ApplicationRecord, AuditEvent } from '../../../shared/schemas/records.ts';
import { review, SECRET } from '../review/fixtures.ts';
import { sampleApplication } from '../support.ts';

/*
 * The revocation desk over in-memory stores: who may ask and who may confirm, the request's
 * states, and what a confirmation does in flight (the application's ending) and after
 * recognition (the register entry revoked with its history line, the application cancelled,
 * the county emailed), each exactly once.
 */

const NOW = new Date('2026-06-01T02:00:00.000Z');
const APP_ID = '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42';
const CAMPAIGN = { campaignId: 'demo-2026-recommendation', year: 2026 };

const person = (role: Principal['role'], jurisdiction: string, sub = `${role}-${jurisdiction}`) => ({
  principal: { sub, role, jurisdiction },
  requestId: `req-${sub}`,
});
const cityReviewer = person('reviewer', '222400');
const provinceReviewer = person('reviewer', '220000');
const otherCityReviewer = person('reviewer', '220100');
const provinceOperator = person('operator', '220000');
const otherProvinceOperator = person('operator', '210000');
const county = person('applicant', '222403');

class MemoryRevocations implements RevocationStore {
  readonly requests = new Map<string, RevocationRequest>();
  readonly open = new Map<string, string>();
  async file(request: RevocationRequest, key: string): Promise<FileOutcome> {
    const openId = this.open.get(key);
    if (openId) return { filed: false, openRequestId: openId };
    this.open.set(key, request.requestId);
    this.requests.set(request.requestId, structuredClone(request));
    return { filed: true };
  }
  async get(requestId: string) {
    const found = this.requests.get(requestId);
    return found && structuredClone(found);
  }
  async list() {
    return [...this.requests.values()].map((r) => structuredClone(r));
  }
  async replace(request: RevocationRequest, expectedRevision: number, closeOpenKey?: string) {
    if (this.requests.get(request.requestId)?.revision !== expectedRevision) return false;
    this.requests.set(request.requestId, structuredClone(request));
    if (closeOpenKey) this.open.delete(closeOpenKey);
    return true;
  }
}

class MemoryRegister implements Pick<RegisterStore, 'get' | 'replace'> {
  readonly entries = new Map<string, RegisterEntry>();
  async get(entryId: string) {
    const found = this.entries.get(entryId);
    return found && structuredClone(found);
  }
  async replace(entry: RegisterEntry, expectedRevision: number) {
    if (this.entries.get(entry.entryId)?.revision !== expectedRevision) return false;
    this.entries.set(entry.entryId, structuredClone(entry));
    return true;
  }
}

function entryOf(overrides: Partial<RegisterEntry> = {}): RegisterEntry {
  const base = { level: 'national' as const, cohort: 2026, countyCode: '222403', clusterName: '敦化市医药产业集群' };
  return {
    ...base,
    entryId: registerEntryId(base),
    provinceCode: '220000',
    leadingIndustry: '医药',
    subSector: '',
    validFrom: '2026-05-01',
    validUntil: '2029-05-01',
    state: 'valid',
    history: [{ at: '2026-05-01T00:00:00.000Z', by: 'workflow', to: 'valid', reason: 'recognised' }],
    source: { kind: 'pipeline', applicationId: APP_ID, campaignId: CAMPAIGN.campaignId },
    revision: 0,
    createdAt: '2026-05-01T00:00:00.000Z',
    updatedAt: '2026-05-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The city's pending review of the application (its link's secret is SECRET). */
const pendingReview = review(NOW);
let ids = 0;
let applications: Map<string, ApplicationRecord>;
let audits: AuditEvent[];
let sent: Email[];
let released: string[];
let stopped: string[];
let revocations: MemoryRevocations;
let register: MemoryRegister;
let mailFails = 0;
let desk: RevocationDesk;

function put(application: ApplicationRecord) {
  applications.set(application.applicationId, application);
}

beforeEach(() => {
  ids = 0;
  applications = new Map();
  audits = [];
  sent = [];
  released = [];
  stopped = [];
  mailFails = 0;
  revocations = new MemoryRevocations();
  register = new MemoryRegister();
  const records = {
    getApplication: async (id: string) => {
      const found = applications.get(id);
      return found && structuredClone(found);
    },
    saveApplication: async (next: ApplicationRecord, before: ApplicationRecord, audit: AuditEvent) => {
      const current = applications.get(before.applicationId);
      if (current?.revision !== before.revision || current.status !== before.status) {
        throw new ConflictError('CONCURRENT_CHANGE', 'changed');
      }
      applications.set(next.applicationId, next);
      audits.push(audit);
    },
    appendAudit: async (audit: AuditEvent) => {
      audits.push(audit);
    },
    listAudit: async () => audits,
    listEvidence: async () => [],
  };
  const clock = () => NOW;
  const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
  const mailer = {
    send: async (email: Email) => {
      if (mailFails-- > 0) throw new Error('mail server down');
      sent.push(email);
      return { messageId: `m-${sent.length}` };
    },
  };
  const campaigns = { get: async () => CAMPAIGN as never };
  desk = new RevocationDesk({
    revocations,
    register,
    records,
    campaigns,
    mailer,
    clock,
    newId,
    end: {
      // No review pending and no execution to stop: the ending records the status itself.
      reviews: {
        getReview: async (id: string) => (id === pendingReview.reviewId ? pendingReview : undefined),
        listApplicationReviews: async () => [],
        workflowPointers: async () => ({ executionArn: 'arn:execution' }),
      } as never,
      records: records,
      campaigns: campaigns,
      quotas: {
        release: async (holder: { applicationId: string }) => void released.push(holder.applicationId),
      } as never,
      tasks: { stop: async (arn: string) => void stopped.push(arn) } as never,
      clock,
      newId,
    },
  });
});

const inFlight = () => put(sampleApplication({ applicationId: APP_ID, status: 'PROVINCE_REVIEW', revision: 4 }));
const recognised = () => {
  put(
    sampleApplication({
      applicationId: APP_ID,
      status: 'RECOGNIZED',
      revision: 9,
      form: { contact: { name: '李明', phone: '0433-6221234', email: 'sme@example.gov.cn' } },
    }),
  );
  register.entries.set(entryOf().entryId, entryOf());
};
const appTarget = { kind: 'application', applicationId: APP_ID };

describe('the request’s states', () => {
  it('requested may become confirmed or declined; a decision is final', () => {
    for (const from of REVOCATION_STATES)
      for (const to of REVOCATION_STATES)
        expect(mayMoveRequest(from, to), `${from} → ${to}`).toBe(
          from === 'requested' && (to === 'confirmed' || to === 'declined'),
        );
  });

  it('a decided request refuses another decision (409), and a decision records who and when', async () => {
    inFlight();
    const { request } = await desk.file(cityReviewer, { target: appTarget, reason: '产值数据造假' });
    const by = { sub: 'op', role: 'operator' as const, jurisdiction: '220000' };
    const declined = decidedRequest(request, { to: 'declined', by, at: NOW.toISOString(), reason: '证据不足' });
    expect(declined).toMatchObject({ state: 'declined', decidedBy: by, declineReason: '证据不足', revision: 1 });
    expect(() => decidedRequest(declined, { to: 'confirmed', by, at: NOW.toISOString() })).toThrow(ConflictError);
  });
});

describe('filing a request', () => {
  it('a reviewer whose jurisdiction covers the county files it; the application’s trail records it', async () => {
    inFlight();
    const { request, created } = await desk.file(cityReviewer, {
      target: appTarget,
      reason: '企业数量虚报',
      evidenceNote: '工商登记核查记录',
    });
    expect(created).toBe(true);
    expect(request).toMatchObject({
      state: 'requested',
      phase: 'in-flight',
      levelCode: '222400',
      applicationId: APP_ID,
      evidenceNote: '工商登记核查记录',
      requestedBy: { sub: 'reviewer-222400', role: 'reviewer' },
    });
    expect(audits.map((a) => a.action)).toEqual(['REVOCATION_REQUESTED']);
  });

  it('refuses applicants, operators and reviewers of other places (403)', async () => {
    inFlight();
    for (const caller of [county, provinceOperator, otherCityReviewer]) {
      await expect(desk.file(caller, { target: appTarget, reason: 'x' }), caller.principal.sub).rejects.toMatchObject({
        status: 403,
      });
    }
    expect(revocations.requests.size).toBe(0);
  });

  it('names the missing reason once the caller may ask', async () => {
    inFlight();
    await expect(desk.file(cityReviewer, { target: appTarget, reason: ' ' })).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ field: 'reason' })],
    });
  });

  it('one open request per cluster: the same request again answers the first; another is refused', async () => {
    inFlight();
    const first = await desk.file(cityReviewer, { target: appTarget, reason: '企业数量虚报' });
    const again = await desk.file(cityReviewer, { target: appTarget, reason: '企业数量虚报' });
    expect(again).toEqual({ request: first.request, created: false });
    await expect(desk.file(provinceReviewer, { target: appTarget, reason: '另一条' })).rejects.toMatchObject({
      code: 'REVOCATION_OPEN',
    });
  });

  it('an application that ended otherwise has nothing to cancel (409)', async () => {
    put(sampleApplication({ applicationId: APP_ID, status: 'REJECTED' }));
    await expect(desk.file(cityReviewer, { target: appTarget, reason: 'x' })).rejects.toMatchObject({
      code: 'ALREADY_ENDED',
    });
  });
});

describe('deciding a request', () => {
  it('the requester cannot decide their own request, nor can an operator of another province', async () => {
    inFlight();
    const { request } = await desk.file(provinceReviewer, { target: appTarget, reason: '虚报' });
    await expect(desk.decide(request.requestId, { decision: 'confirm' }, provinceReviewer)).rejects.toMatchObject({
      status: 403,
      details: [expect.objectContaining({ code: 'OWN_REQUEST' })],
    });
    await expect(desk.decide(request.requestId, { decision: 'confirm' }, otherProvinceOperator)).rejects.toMatchObject({
      status: 403,
    });
    expect((await revocations.get(request.requestId))?.state).toBe('requested');
  });

  it('confirmed in flight: the application is cancelled as an operator’s cancellation does it, once', async () => {
    inFlight();
    const { request } = await desk.file(cityReviewer, { target: appTarget, reason: '产值造假' });
    const confirmed = await desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator);
    expect(confirmed).toMatchObject({ state: 'confirmed', effect: { outcome: 'cancelled' } });
    expect(applications.get(APP_ID)?.status).toBe('CANCELLED');
    expect(applications.get(APP_ID)?.decisionReason).toContain('产值造假');
    expect(stopped).toEqual(['arn:execution']);
    expect(released).toEqual([APP_ID]);
    const cancelled = audits.find((a) => a.action === 'CANCELLED');
    expect(cancelled).toMatchObject({ actor: 'operator-220000', fromStatus: 'PROVINCE_REVIEW' });
    // Again: the same answer, nothing done twice.
    expect(await desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator)).toEqual(confirmed);
    expect(stopped).toHaveLength(1);
  });

  it('confirmed after recognition: the entry is revoked with the reason and who confirmed, the county emailed', async () => {
    recognised();
    const { request } = await desk.file(provinceReviewer, { target: appTarget, reason: '虚构研发投入' });
    expect(request).toMatchObject({ phase: 'recognised', entryId: entryOf().entryId });
    const confirmed = await desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator);
    expect(confirmed.effect).toMatchObject({ outcome: 'revoked', entryId: entryOf().entryId, countyTold: true });
    const entry = register.entries.get(entryOf().entryId);
    expect(entry?.state).toBe('revoked');
    expect(entry?.history.at(-1)).toMatchObject({ from: 'valid', to: 'revoked', by: 'operator:operator-220000' });
    expect(entry?.history.at(-1)?.reason).toContain('虚构研发投入');
    expect(entry?.history.at(-1)?.reason).toContain('requested by reviewer:reviewer-220000');
    expect(applications.get(APP_ID)?.status).toBe('CANCELLED');
    expect(audits.find((a) => a.action === 'CANCELLED')).toMatchObject({
      fromStatus: 'RECOGNIZED',
      detail: expect.objectContaining({ via: 'revocation', revocationRequest: request.requestId }),
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: ['sme@example.gov.cn'], purpose: `revocation/${request.requestId}` });
  });

  it('an imported entry (no application) is revoked the same way; no address, so nobody is emailed', async () => {
    const imported = entryOf({ source: { kind: 'import', importId: 'i1', fileName: 'list.csv', row: 3 } });
    register.entries.set(imported.entryId, imported);
    const { request } = await desk.file(provinceReviewer, {
      target: { kind: 'entry', entryId: imported.entryId },
      reason: '虚报集群面积',
    });
    const confirmed = await desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator);
    expect(confirmed.effect).toMatchObject({ outcome: 'revoked', countyTold: false });
    expect(register.entries.get(imported.entryId)?.state).toBe('revoked');
    expect(sent).toEqual([]);
  });

  it('a confirmation that failed half-way is finished by the next one, and the entry changes once', async () => {
    recognised();
    mailFails = 1;
    const { request } = await desk.file(provinceReviewer, { target: appTarget, reason: '虚报' });
    await expect(desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator)).rejects.toThrow(
      'mail server down',
    );
    expect((await revocations.get(request.requestId))?.state).toBe('confirmed');
    const finished = await desk.decide(request.requestId, { decision: 'confirm' }, person('operator', '000000'));
    expect(finished.effect?.outcome).toBe('revoked');
    expect(register.entries.get(entryOf().entryId)?.history).toHaveLength(2);
    expect(sent).toHaveLength(1);
  });

  it('declining needs a reason, frees the cluster for a new request, and cannot be confirmed after', async () => {
    inFlight();
    const { request } = await desk.file(cityReviewer, { target: appTarget, reason: '虚报' });
    await expect(desk.decide(request.requestId, { decision: 'decline' }, provinceOperator)).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ field: 'reason' })],
    });
    const declined = await desk.decide(
      request.requestId,
      { decision: 'decline', reason: '核查无误' },
      provinceOperator,
    );
    expect(declined).toMatchObject({ state: 'declined', declineReason: '核查无误' });
    expect(applications.get(APP_ID)?.status).toBe('PROVINCE_REVIEW');
    await expect(desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator)).rejects.toMatchObject({
      code: 'REVOCATION_DECIDED',
    });
    expect((await desk.file(provinceReviewer, { target: appTarget, reason: '新线索' })).created).toBe(true);
    expect(audits.map((a) => a.action)).toEqual([
      'REVOCATION_REQUESTED',
      'REVOCATION_DECLINED',
      'REVOCATION_REQUESTED',
    ]);
  });

  it('a request filed in flight and confirmed after recognition revokes the entry the recognition made', async () => {
    inFlight();
    const { request } = await desk.file(cityReviewer, { target: appTarget, reason: '虚报' });
    recognised();
    const confirmed = await desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator);
    expect(confirmed).toMatchObject({ phase: 'recognised', effect: { outcome: 'revoked' } });
    expect(register.entries.get(entryOf().entryId)?.state).toBe('revoked');
  });
});

describe('from a review’s link page', () => {
  it('the link’s holder asks as a reviewer of the review’s level; an operator over it confirms', async () => {
    inFlight();
    const { request } = await desk.fileFromReview(
      pendingReview.reviewId,
      { kind: 'link', secret: SECRET },
      { t: SECRET, reason: '现场核查发现企业名单虚构' },
      'req-link',
    );
    expect(request).toMatchObject({
      levelCode: '222400',
      applicationId: APP_ID,
      requestedBy: { sub: `link-${pendingReview.reviewId}`, role: 'reviewer', jurisdiction: '222400' },
    });
    const confirmed = await desk.decide(request.requestId, { decision: 'confirm' }, provinceOperator);
    expect(confirmed.effect?.outcome).toBe('cancelled');
  });

  it('a wrong secret, or a signed-in reviewer of another level, is refused (403); nothing is filed', async () => {
    inFlight();
    const body = { reason: 'x' };
    await expect(
      desk.fileFromReview(pendingReview.reviewId, { kind: 'link', secret: 'not-the-secret' }, body, 'r'),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      desk.fileFromReview(
        pendingReview.reviewId,
        { kind: 'reviewer', principal: provinceReviewer.principal },
        body,
        'r',
      ),
    ).rejects.toMatchObject({ status: 403 });
    expect(revocations.requests.size).toBe(0);
  });
});

describe('listing requests', () => {
  it('shows the requests of levels within the person’s jurisdiction, and their own; refuses applicants', async () => {
    inFlight();
    await desk.file(cityReviewer, { target: appTarget, reason: '虚报' });
    expect(await desk.list(provinceOperator.principal)).toHaveLength(1);
    expect(await desk.list(person('operator', '000000').principal)).toHaveLength(1);
    expect(await desk.list(otherProvinceOperator.principal)).toHaveLength(0);
    expect(await desk.list(otherCityReviewer.principal)).toHaveLength(0);
    await expect(desk.list(county.principal)).rejects.toMatchObject({ status: 403 });
  });
});
