import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { zodDetails } from '../../../shared/platform/parse.ts';
import { DECLINE_REASON_REQUIRED, RevocationDecisionBodySchema } from '../../../shared/revocation/request.ts';
import { FreeText, reasonRequired } from '../../../shared/schemas/free-text.ts';
import { DISMISSAL_REASON_REQUIRED, TriageBodySchema } from '../../../shared/schemas/reviews.ts';

/**
 * A decision that goes against someone owes its reason: one refinement says so for every body
 * that takes a reason, naming the field `reason` with the body's own words.
 */
const details = (schema: z.ZodType, body: unknown) => {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : zodDetails(parsed.error, 'body');
};

describe('reasonRequired', () => {
  const Body = z
    .strictObject({ verdict: z.enum(['yes', 'no']), reason: FreeText(20).optional() })
    .superRefine(reasonRequired((body) => body.verdict === 'no', '不同意须说明理由 / a no needs its reason'));

  it('asks for the reason only where the predicate says, on the field reason', () => {
    expect(details(Body, { verdict: 'yes' })).toEqual([]);
    expect(details(Body, { verdict: 'no', reason: '材料不实' })).toEqual([]);
    for (const reason of [undefined, '', '   '])
      expect(details(Body, { verdict: 'no', reason })).toEqual([
        { field: 'body.reason', code: 'custom', message: '不同意须说明理由 / a no needs its reason' },
      ]);
  });

  it('leaves the reason’s own checks to FreeText (length, control characters)', () => {
    expect(details(Body, { verdict: 'no', reason: 'x'.repeat(21) }).map((d) => [d.field, d.code])).toEqual([
      ['body.reason', 'too_big'],
    ]);
    expect(details(Body, { verdict: 'no', reason: 'a\u202Eb' }).map((d) => d.field)).toEqual(['body.reason']);
  });
});

describe('the two "decline with a reason" bodies use it alike', () => {
  it('a declined cancellation request names reason with its words; a confirmation needs none', () => {
    expect(details(RevocationDecisionBodySchema, { decision: 'confirm' })).toEqual([]);
    expect(details(RevocationDecisionBodySchema, { decision: 'decline', reason: '证据不足' })).toEqual([]);
    expect(details(RevocationDecisionBodySchema, { decision: 'decline' })).toEqual([
      { field: 'body.reason', code: 'custom', message: DECLINE_REASON_REQUIRED },
    ]);
  });

  it('a dismissed objection names reason with its words; an upheld one needs none', () => {
    expect(details(TriageBodySchema, { outcome: 'upheld' })).toEqual([]);
    expect(details(TriageBodySchema, { outcome: 'dismissed', reason: '异议不成立' })).toEqual([]);
    expect(details(TriageBodySchema, { outcome: 'dismissed', reason: ' ' })).toEqual([
      { field: 'body.reason', code: 'custom', message: DISMISSAL_REASON_REQUIRED },
    ]);
  });
});
