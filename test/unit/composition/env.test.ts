import { describe, expect, it } from 'vitest';
import { ENV, noticeTakeoverMs, readEnv } from '../../../shared/composition/env.ts';
import { NOTICE_TAKEOVER_MS } from '../../../shared/ladder/notice-takeover.ts';

describe('NOTICE_TAKEOVER_MS (set by the local runtime only)', () => {
  it('is the product’s 30 s when unset or empty, as CDK leaves it', () => {
    expect(noticeTakeoverMs(readEnv({}))).toBe(NOTICE_TAKEOVER_MS);
    expect(noticeTakeoverMs(readEnv({ [ENV.noticeTakeoverMs]: '' }))).toBe(NOTICE_TAKEOVER_MS);
  });

  it('takes the scaled window the local runtime sets', () => {
    expect(noticeTakeoverMs(readEnv({ [ENV.noticeTakeoverMs]: '300' }))).toBe(300);
    expect(noticeTakeoverMs(readEnv({ [ENV.noticeTakeoverMs]: '0' }))).toBe(0);
  });

  it.each(['soon', '1.5', '-1', String(NOTICE_TAKEOVER_MS + 1)])('refuses %s, naming the variable', (value) => {
    expect(() => noticeTakeoverMs(readEnv({ [ENV.noticeTakeoverMs]: value }))).toThrow(/NOTICE_TAKEOVER_MS/);
  });
});
