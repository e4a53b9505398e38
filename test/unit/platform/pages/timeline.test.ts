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
