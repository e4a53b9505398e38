import { describe, expect, it } from 'vitest';
import { tallyUpdates } from '../../../shared/adapters/dynamo-tallies.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { sampleApplication } from '../support.ts';

const draft: ApplicationRecord = { ...sampleApplication(), dueAt: '2026-12-07T23:59:59+08:00' };

const moves = (before: ApplicationRecord | undefined, after: ApplicationRecord) =>
  tallyUpdates('t', before, after).map((item) => [
    item.Update?.Key?.sk,
    item.Update?.ExpressionAttributeValues?.[':delta'],
  ]);

describe('campaign tallies', () => {
  it('moves a status change out of the old entries and into the new ones, per province, county and day', () => {
    const submitted = { ...draft, status: 'CITY_REVIEW' as const, revision: 1, dueAt: '2026-12-20T23:59:59+08:00' };
    expect(moves(draft, submitted)).toEqual([
      ['P#recommendation#220000#DRAFT', -1],
      ['C#recommendation#220000#222400#222403#DRAFT', -1],
      ['D#recommendation#2026-12-07#DRAFT', -1],
      ['P#recommendation#220000#CITY_REVIEW', 1],
      ['C#recommendation#220000#222400#222403#CITY_REVIEW', 1],
      ['D#recommendation#2026-12-20#CITY_REVIEW', 1],
    ]);
  });

  it('touches nothing when neither status nor deadline day changes (a form edit)', () => {
    expect(moves(draft, { ...draft, revision: 1, form: { changed: true } })).toEqual([]);
  });

  it('counts the deadline day in Beijing time, not UTC', () => {
    // 2026-12-07T20:00Z is already 8 December in Beijing.
    const late = { ...draft, dueAt: '2026-12-07T20:00:00Z' };
    expect(moves(undefined, late)).toContainEqual(['D#recommendation#2026-12-08#DRAFT', 1]);
  });

  it('an ended application leaves the deadline days but stays on the board', () => {
    const ended = { ...draft, status: 'WITHDRAWN' as const, revision: 1 };
    expect(moves(draft, ended)).toEqual([
      ['P#recommendation#220000#DRAFT', -1],
      ['C#recommendation#220000#222400#222403#DRAFT', -1],
      ['D#recommendation#2026-12-07#DRAFT', -1],
      ['P#recommendation#220000#WITHDRAWN', 1],
      ['C#recommendation#220000#222400#222403#WITHDRAWN', 1],
    ]);
  });
});
