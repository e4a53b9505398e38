import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIssuer } from '../../../local/auth.ts';

/**
 * `npm run token`, run as the command line runs it: its `--name` reaches the token's `name` claim,
 * which the principal carries to the audit trail (the timelines show it).
 */
const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../local/token.ts', import.meta.url));
const token = (dataDir: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', SCRIPT, '--data-dir', dataDir, ...args]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run token', () => {
  it('puts --name in the token, for the trail', async () => {
    const { stdout } = await token(dir, '--role', 'reviewer', '--jurisdiction', '222400', '--name', '王审核');
    const { principal } = await (await localIssuer(dir)).verify(stdout.trim());
    expect(principal).toEqual({ sub: 'reviewer-222400', role: 'reviewer', jurisdiction: '222400', name: '王审核' });
  });

  it('names no one without --name, or with a blank one', async () => {
    for (const extra of [[], ['--name', '  ']]) {
      const { stdout } = await token(dir, '--role', 'applicant', '--jurisdiction', '222403', ...extra);
      const { principal } = await (await localIssuer(dir)).verify(stdout.trim());
      expect(principal).not.toHaveProperty('name');
    }
  });

  it('refuses a name past 128 characters, as the claim is bounded', async () => {
    const refused = token(dir, '--role', 'reviewer', '--jurisdiction', '222400', '--name', 'x'.repeat(129));
    await expect(refused).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('name') as string });
  });
});
