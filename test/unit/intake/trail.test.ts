import { describe, expect, it } from 'vitest';
import { maskAddresses } from '../../../shared/intake/trail.ts';

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
