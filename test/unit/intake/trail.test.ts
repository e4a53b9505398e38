import { describe, expect, it } from 'vitest';
import { maskAddresses, trailAsSeenBy } from '../../../shared/intake/trail.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import { type AuditEvent, AuditEventSchema } from '../../../shared/schemas/records.ts';

/**
 * How the county reads an address in its trail: the office's domain, not the person. Who reads
 * the trail masked is tested at Intake's door (domain-authorisation.test.ts).
 */
describe('maskAddresses', () => {
  it('masks the local part of each address, keeps the office’s domain, leaves other actors alone', () => {
    expect(maskAddresses('zhang.wei@yanbian.example.gov.cn, li@yanbian.example.gov.cn')).toBe(
      'z***@yanbian.example.gov.cn, l***@yanbian.example.gov.cn',
    );
    expect(maskAddresses('reviewer-222400')).toBe('reviewer-222400');
    expect(maskAddresses('review-link (not yet emailed)')).toBe('review-link (not yet emailed)');
  });
});

/**
 * Names on the county's trail (the decision is in shared/intake/trail.ts): an official's name is
 * shown, masked should it hold an address; an expert's and a signed-in objector's are withheld;
 * the officials over the application read every name whole.
 */
describe('trailAsSeenBy: names', () => {
  const application = { countyCode: '222403', cityCode: '222400', provincialCode: '220000' };
  const county: Principal = { sub: 'applicant-222403', role: 'applicant', jurisdiction: '222403' };
  const city: Principal = { sub: 'reviewer-222400', role: 'reviewer', jurisdiction: '222400' };
  const base = {
    applicationId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42',
    at: '2026-06-01T02:00:00.000Z',
    jurisdiction: '222400',
  };
  const returned: AuditEvent = {
    ...base,
    eventId: '6a1b2c3d-0000-4000-8000-000000000001',
    action: 'REVIEW_RETURNED',
    actor: 'reviewer-222400',
    actorName: '王审核',
    role: 'reviewer',
    reason: '补充材料',
  };
  const nameWithAddress: AuditEvent = {
    ...returned,
    eventId: '6a1b2c3d-0000-4000-8000-000000000002',
    actorName: 'Wang <wang.shen@yanbian.example.gov.cn>',
  };
  const scored: AuditEvent = {
    ...base,
    eventId: '6a1b2c3d-0000-4000-8000-000000000003',
    action: 'PANEL_SCORED',
    actor: 'liu.expert@univ.example.edu.cn',
    actorName: '刘专家',
    role: 'expert',
  };
  const objected: AuditEvent = {
    ...base,
    eventId: '6a1b2c3d-0000-4000-8000-000000000004',
    action: 'OBJECTION_FILED',
    actor: 'applicant-222401',
    actorName: '赵异议',
    role: 'applicant',
    jurisdiction: '222401',
  };
  const events = [returned, nameWithAddress, scored, objected];

  it('shows the county the name of the official who returned it, its address part masked', () => {
    const [seenReturn, seenWithAddress] = trailAsSeenBy(county, application, events);
    expect(seenReturn).toMatchObject({ actor: 'reviewer-222400', actorName: '王审核' });
    expect(seenWithAddress?.actorName).toBe('Wang <w***@yanbian.example.gov.cn>');
    expect(JSON.stringify(trailAsSeenBy(county, application, events))).not.toContain('wang.shen@');
  });

  it('withholds an expert’s and an objector’s name from the county, keeping the rest of the event', () => {
    const [, , seenScore, seenObjection] = trailAsSeenBy(county, application, events);
    expect(seenScore).not.toHaveProperty('actorName');
    expect(seenScore).toMatchObject({ action: 'PANEL_SCORED', actor: 'l***@univ.example.edu.cn', role: 'expert' });
    expect(seenObjection).not.toHaveProperty('actorName');
    expect(seenObjection?.actor).toBe('applicant-222401');
    expect(JSON.stringify(trailAsSeenBy(county, application, events))).not.toMatch(/刘专家|赵异议/);
  });

  it('gives the officials over the application every name whole', () => {
    expect(trailAsSeenBy(city, application, events)).toEqual(events);
  });

  it('leaves an event written before names were recorded as it was', () => {
    const { actorName: _name, ...old } = returned;
    expect(trailAsSeenBy(county, application, [old])).toEqual([old]);
  });
});

describe('AuditEventSchema: the actor’s name', () => {
  const event = {
    applicationId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42',
    eventId: '6a1b2c3d-0000-4000-8000-000000000001',
    at: '2026-06-01T02:00:00.000Z',
    action: 'REVIEW_RETURNED',
    actor: 'reviewer-222400',
    role: 'reviewer',
  };

  it('reads an event written before names were recorded, and one with a name', () => {
    expect(AuditEventSchema.parse(event)).not.toHaveProperty('actorName');
    expect(AuditEventSchema.parse({ ...event, actorName: '王审核' }).actorName).toBe('王审核');
  });

  it('bounds the name as the token’s claim is: 128 characters', () => {
    expect(AuditEventSchema.safeParse({ ...event, actorName: 'x'.repeat(128) }).success).toBe(true);
    expect(AuditEventSchema.safeParse({ ...event, actorName: 'x'.repeat(129) }).success).toBe(false);
  });
});
