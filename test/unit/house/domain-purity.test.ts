import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule that keeps the domain pure (eslint.config.js): a domain file that reaches for the
 * SDK, an adapter, the composition, HTTP or the environment fails `npm run lint`. Linted as text
 * at a domain path, as the next change would write it.
 */
// The files are new, so outside the TypeScript project: lint them with the import rules only.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the domain stays pure', () => {
  const domainFile = 'shared/review/new-rule.ts';

  it.each([
    ['the SDK', "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;"],
    [
      'an adapter',
      "import { DynamoRecords } from '../adapters/dynamo-records/store.ts';\nexport const r = DynamoRecords;",
    ],
    ['the composition', "import { wireReviews } from '../composition/review.ts';\nexport const w = wireReviews;"],
    ['HTTP', "import { json } from '../platform/http/respond.ts';\nexport const j = json;"],
  ])('refuses a domain file that imports %s', async (_what, code) => {
    const hits = await ruleHits(domainFile, code);
    expect(hits.some((hit) => hit.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('refuses a domain file that reads the environment', async () => {
    const hits = await ruleHits('shared/intake/new-rule.ts', 'export const table = process.env.TABLE_NAME;\n');
    expect(hits).toContainEqual(expect.stringMatching(/^no-restricted-properties: .*composition/));
  });

  it('lets a domain file import rules, schemas, ports and its own room', async () => {
    const code = [
      "import type { Clock } from '../ports/core.ts';",
      "import { MIIT_CODE } from '../rules/jurisdictions.ts';",
      "import type { ReviewRecord } from '../schemas/reviews.ts';",
      "import { linkHashes } from './links.ts';",
      'export const all = [MIIT_CODE, linkHashes] as const;',
      'export type Both = [Clock, ReviewRecord];',
    ].join('\n');
    expect(await ruleHits(domainFile, `${code}\n`)).toEqual([]);
  });

  it("lets a room's handler module speak HTTP, but still not reach an adapter", async () => {
    expect(
      await ruleHits(
        'shared/review/handler.ts',
        "import { json } from '../platform/http/respond.ts';\nexport const j = json;\n",
      ),
    ).toEqual([]);
    const hits = await ruleHits(
      'shared/review/handler.ts',
      "import { DynamoReviews } from '../adapters/dynamo-reviews/store.ts';\nexport const d = DynamoReviews;\n",
    );
    expect(hits.some((hit) => hit.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('leaves the composition free to wire adapters', async () => {
    const code =
      "import { DynamoRecords } from '../adapters/dynamo-records/store.ts';\nexport const r = DynamoRecords;\n";
    expect(await ruleHits('shared/composition/new-wiring.ts', code)).toEqual([]);
  });
});
