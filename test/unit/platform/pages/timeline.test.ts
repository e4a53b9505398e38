import { describe, expect, it } from 'vitest';
import { maskAddresses } from '../../../../shared/intake/trail.ts';
import { translator } from '../../../../shared/platform/pages/i18n.ts';
import { timelineTable } from '../../../../shared/platform/pages/timeline.ts';
import type { AuditEvent } from '../../../../shared/schemas/records.ts';
import { WORKFLOW_ACTOR } from '../../../../shared/ladder/transition.ts';
import { SWEEPER_ACTOR } from '../../../../shared/operations/reminder-delivery.ts';

/**
 * Who decided, in the timeline: the registered addresses a review link went to. Officials above
 * see them whole (the console); the county's trail arrives masked (shared/intake/trail.ts), and the
 * table shows the actor as the trail gives it.
 */
const decided: AuditEvent = {
  applicationId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42',
  eventId: '6a1b2c3d-0000-4000-8000-000000000002',
  at: '2026-06-01T02:00:00.000Z',
  action: 'REVIEW_APPROVED',
  actor: 'zhang.wei@yanbian.example.gov.cn, li@yanbian.example.gov.cn',
  role: 'reviewer',
  jurisdiction: '222400',
  reason: '材料齐全',
};

describe('the timeline’s actor', () => {
  it('shows the addresses as the trail gives them: whole to officials, masked to the county', () => {
    const say = translator('zh');
    const whole = timelineTable(say, [decided]).value;
    expect(whole).toContain('zhang.wei@yanbian.example.gov.cn');
    const masked = timelineTable(say, [{ ...decided, actor: maskAddresses(decided.actor) }], { details: false }).value;
    expect(masked).toContain('z***@yanbian.example.gov.cn, l***@yanbian.example.gov.cn');
    expect(masked).not.toContain('zhang.wei@');
    expect(masked).not.toContain('li@');
    // Role, jurisdiction and reason stay.
    expect(masked).toContain('延边朝鲜族自治州（222400）');
    expect(masked).toContain('材料齐全');
  });

  it('names the pipeline’s own steps 系统 and the public 公众, never the program names the trail keeps', () => {
    const events: AuditEvent[] = [
      { ...decided, action: 'EVIDENCE_VALIDATED', actor: 'validator', role: 'validator', reason: undefined },
      { ...decided, action: 'STAGE_ENTERED', actor: WORKFLOW_ACTOR, role: 'workflow', reason: undefined },
      { ...decided, action: 'REMINDER_SENT', actor: SWEEPER_ACTOR, role: 'scheduler', reason: undefined },
    ];
    const zh = timelineTable(translator('zh'), events).value;
    for (const actor of ['validator', WORKFLOW_ACTOR, SWEEPER_ACTOR]) {
      expect(zh).toContain(`<td data-actor="${actor}">系统</td>`);
      expect(zh).not.toContain(`>${actor}<`);
    }
    expect(timelineTable(translator('en'), events).value).toContain('<td data-actor="validator">System</td>');
    const objection: AuditEvent = { ...decided, action: 'OBJECTION_FILED', actor: 'public', role: 'public' };
    expect(timelineTable(translator('zh'), [objection]).value).toContain('<td data-actor="public">公众</td>');
    // A person stays as the trail names them.
    expect(timelineTable(translator('zh'), [decided]).value).toContain(`>${decided.actor}</td>`);
  });
});

/**
 * A person's display name (the token's `name` claim, on the event as `actorName`): the county reads
 * the name, the console the name with the stable id it searches by.
 */
describe('the timeline’s named actor', () => {
  const returned: AuditEvent = {
    ...decided,
    action: 'REVIEW_RETURNED',
    actor: '5f0c9a1e-7d2b-4c3a-9e8f-1a2b3c4d5e6f',
    actorName: '王审核',
    reason: '补充材料',
  };

  it('shows the county the name, never the id behind it', () => {
    const portal = timelineTable(translator('zh'), [returned], { details: false }).value;
    expect(portal).toContain('<td>王审核</td>');
    expect(portal).not.toContain(returned.actor);
  });

  it('shows the console the name with the id beside it and in data-actor', () => {
    const console = timelineTable(translator('zh'), [returned], { requestIds: true, actorIds: true }).value;
    expect(console).toContain(`<td data-actor="${returned.actor}">王审核（<code>${returned.actor}</code>）</td>`);
  });

  it('draws an event written before names were recorded by its actor on the console, as having no name on the portal', () => {
    const { actorName: _name, ...old } = returned;
    const console = timelineTable(translator('zh'), [old], { actorIds: true }).value;
    expect(console).toContain(`<td data-actor="${old.actor}">${old.actor}</td>`);
    const portal = timelineTable(translator('zh'), [old], { details: false }).value;
    expect(portal).toContain('<td>（未登记姓名）</td>');
    expect(portal).not.toContain(old.actor);
  });

  it('escapes a name, which is free text from a token', () => {
    const hostile = { ...returned, actorName: '<script>alert(1)</script>"><img src=x onerror=alert(2)>' };
    for (const options of [{ details: false }, { actorIds: true }]) {
      const drawn = timelineTable(translator('zh'), [hostile], options).value;
      expect(drawn).not.toContain('<script>');
      expect(drawn).not.toContain('<img');
      expect(drawn).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('keeps the pipeline’s steps 系统 even if an event carried a name', () => {
    const step: AuditEvent = { ...returned, action: 'STAGE_ENTERED', actor: WORKFLOW_ACTOR, role: 'workflow' };
    expect(timelineTable(translator('zh'), [step]).value).toContain(`<td data-actor="${WORKFLOW_ACTOR}">系统</td>`);
  });
});

/** The timeline on a page in English: the reader's language throughout, and no ids on the portal. */
describe('the timeline in the page’s language', () => {
  const overdue: AuditEvent = {
    ...decided,
    action: 'REVIEW_REJECTED',
    actor: 'reviewer-222400',
    reason: '逾期不予受理：审核期限已过 / Not accepted: the review deadline passed',
  };

  it('shows the half of a reason written in both languages, and the code in the language’s brackets', () => {
    const en = timelineTable(translator('en'), [overdue], { lang: 'en' }).value;
    expect(en).toContain('>Not accepted: the review deadline passed<');
    expect(en).not.toContain('逾期不予受理');
    expect(en).toContain('延边朝鲜族自治州 (222400)');
    expect(en).not.toContain('（222400）');
    const zh = timelineTable(translator('zh'), [overdue], { lang: 'zh' }).value;
    expect(zh).toContain('>逾期不予受理：审核期限已过<');
    expect(zh).toContain('延边朝鲜族自治州（222400）');
    // A reason in one language is shown whole, whatever the page's.
    expect(timelineTable(translator('en'), [decided], { lang: 'en' }).value).toContain('>材料齐全<');
  });

  it('says a signed-in person without a name has none on record on the portal, and shows the id on the console', () => {
    const portal = timelineTable(translator('en'), [overdue], { lang: 'en', details: false }).value;
    expect(portal).toContain('<td>(no name on record)</td>');
    expect(portal).not.toContain('reviewer-222400');
    expect(timelineTable(translator('zh'), [overdue], { details: false }).value).toContain('<td>（未登记姓名）</td>');
    const console = timelineTable(translator('en'), [overdue], { lang: 'en', actorIds: true }).value;
    expect(console).toContain('<td data-actor="reviewer-222400">reviewer-222400</td>');
    // A link's holders are their addresses, which say who: kept on the portal (masked upstream).
    expect(timelineTable(translator('en'), [decided], { lang: 'en' }).value).toContain(`>${decided.actor}</td>`);
  });
});

/**
 * MIIT's decision is named as MIIT means it on the application's track; below MIIT a decision
 * recommends onward or not, whatever the track.
 */
describe('MIIT’s decision on the timeline', () => {
  const atMiit = (action: 'REVIEW_APPROVED' | 'REVIEW_REJECTED'): AuditEvent => ({
    ...decided,
    action,
    jurisdiction: '000000',
    detail: { stage: 'miit', round: 1, decision: action === 'REVIEW_APPROVED' ? 'approve' : 'reject' },
  });
  const actionCell = (html: string) => /<td><time[^]*?<\/time><\/td><td>([^<]*)<\/td>/.exec(html)?.[1];

  it('reads 入选 / 未入选 for a typical case, never 同意 / 不同意', () => {
    const say = translator('zh');
    expect(actionCell(timelineTable(say, [atMiit('REVIEW_APPROVED')], { track: 'typical-case' }).value)).toBe(
      '审核决定：入选',
    );
    expect(actionCell(timelineTable(say, [atMiit('REVIEW_REJECTED')], { track: 'typical-case' }).value)).toBe(
      '审核决定：未入选',
    );
    expect(
      actionCell(timelineTable(translator('en'), [atMiit('REVIEW_REJECTED')], { track: 'typical-case' }).value),
    ).toBe('Decision: not selected');
  });

  it('reads 认定 for a recommendation and 复核通过 for a re-review', () => {
    const say = translator('zh');
    expect(actionCell(timelineTable(say, [atMiit('REVIEW_APPROVED')], { track: 'recommendation' }).value)).toBe(
      '审核决定：认定',
    );
    expect(actionCell(timelineTable(say, [atMiit('REVIEW_REJECTED')], { track: 'rereview' }).value)).toBe(
      '审核决定：复核不通过',
    );
  });

  it('keeps 同意 below MIIT on every track', () => {
    const atProvince: AuditEvent = { ...atMiit('REVIEW_APPROVED'), detail: { stage: 'province', round: 1 } };
    expect(actionCell(timelineTable(translator('zh'), [atProvince], { track: 'typical-case' }).value)).toBe(
      '审核决定：同意',
    );
  });
});
