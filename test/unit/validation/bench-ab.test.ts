import { describe, expect, it } from 'vitest';
import { benchAgainst } from '../../../bench/validator-ab.ts';

// No timing assertions: this keeps the alternating bench runnable (it throws if a file it
// inspects is not VALID), here against this same tree.
describe('bench/validator-ab.ts', () => {
  it('measures both trees on every shape', async () => {
    const lines = await benchAgainst('.', 1, 1);
    expect(lines.map((line) => line.trim().split(':')[0]?.split(' ')[0])).toEqual([
      'docx',
      'docx',
      'xlsx',
      'xlsx',
      'ofd',
      'ofd',
      'pdf-scan',
      'pdf-scan-flate',
      'pdf-indirect-length',
      'OFD',
    ]);
    for (const line of lines) expect(Number(/ratio (\S+)$/.exec(line)?.[1])).toBeGreaterThan(0);
  });
});
