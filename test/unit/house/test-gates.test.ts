import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/** The lint rules that keep the tests honest (eslint.config.js), on a new test file as the next change would write it. */
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });

async function ruleHits(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: 'test/unit/house/new.test.ts' });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the tests stay honest', () => {
  it.each([
    ['a focused test', "import { it } from 'vitest';\nit.only('x', () => {});\n"],
    ['a skipped test', "import { it } from 'vitest';\nit.skip('x', () => {});\n"],
    [
      'a polled expectation',
      "import { expect, it } from 'vitest';\nit('x', async () => { await expect.poll(() => 1).toBe(1); });\n",
    ],
    ['a polling wait', "import { it, vi } from 'vitest';\nit('x', async () => { await vi.waitFor(() => 1); });\n"],
  ])('refuses %s', async (_what, code) => {
    expect(await ruleHits(code)).toContainEqual(expect.stringMatching(/^no-restricted-properties: /));
  });

  it('lets a test wait on a promise', async () => {
    const code =
      "import { expect, it } from 'vitest';\nit('x', async () => { expect(await Promise.resolve(1)).toBe(1); });\n";
    expect(await ruleHits(code)).toEqual([]);
  });
});
