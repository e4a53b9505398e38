import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNameSchema } from '../../../shared/schemas/api.ts';
import { PEOPLE } from '../support.ts';
import { ODD_PIECES } from './arbitraries.ts';
import { expectErrorJson, expectPrototypesClean, fieldsOf } from './checks.ts';
import {
  apiEvent,
  DRAFT_ID,
  type Handler,
  loadHandlers,
  seedWorld,
  stateChanges,
  forgetCalls,
  type World,
} from './world.ts';

/**
 * Hostile `fileName`s on POST /v1/applications/{id}/evidence: each is refused with a 400 that
 * names `fileName`, before anything is presigned or written; real names (Chinese, with spaces
 * and full-width punctuation) still pass.
 */

const ROUTE = 'POST /v1/applications/{applicationId}/evidence';
let evidence: Handler;
let world: World;
/** Hostile names refused, counted as each is refused; the last test checks them all ran. */
let refused = 0;
/** Random names with a hostile piece in them. */
const RUNS = 200;

beforeAll(async () => {
  world = await seedWorld();
  evidence = (await loadHandlers()).evidence;
});

afterAll(() => {
  console.info(`hostile file names refused: ${refused}`);
});

async function request(fileName: string) {
  forgetCalls();
  const result = await evidence(
    apiEvent(ROUTE, {
      as: PEOPLE.dunhuaApplicant,
      pathParameters: { applicationId: DRAFT_ID },
      body: JSON.stringify({ criterion: world.openCriterion, fileName, contentType: 'application/pdf', size: 4096 }),
    }),
  );
  return { result, changes: stateChanges() };
}

const CHINESE_255 = `${'集'.repeat(83)}.pdf`; // 83 × 3 + 4 = 253 bytes

/** [what it tries, the name]. Every one ends in .pdf unless the trick is in the extension. */
const HOSTILE_FILE_NAMES: readonly (readonly [string, string])[] = [
  ['path traversal', '../../etc/passwd.pdf'],
  ['path traversal (Windows)', '..\\..\\x.pdf'],
  ['traversal inside the name', 'a/../../b.pdf'],
  ['absolute path', '/etc/passwd.pdf'],
  ['absolute Windows path', 'C:\\Windows\\system32\\x.pdf'],
  ['drive-relative path', 'C:x.pdf'],
  ['UNC path', '\\\\server\\share\\x.pdf'],
  ['NTFS alternate data stream', 'x.pdf:evil.exe'],
  ['NUL byte (truncates in C)', 'invoice.exe\u0000.pdf'],
  ['NUL byte at the end', 'invoice.pdf\u0000'],
  ['newline (header injection)', 'a\r\nContent-Type: text/html.pdf'],
  ['tab', 'a\tb.pdf'],
  ['escape sequence (terminal)', '\u001b[31mred.pdf'],
  ['DEL', 'a\u007f.pdf'],
  ['C1 control (NEL)', 'a\u0085b.pdf'],
  ['RTL override disguising .exe', 'invoice\u202Efdp.exe'],
  ['RTL override disguising .pdf', 'report\u202Excod.pdf'],
  ['LTR override', 'a\u202Db.pdf'],
  ['bidi isolate', 'a\u2067b\u2069.pdf'],
  ['over 255 bytes (86 Chinese characters = 258 bytes)', `${'集'.repeat(84)}.pdf`],
  ['over 255 bytes (ASCII)', `${'a'.repeat(252)}.pdf`],
  ['over 255 bytes (emoji)', `${'📄'.repeat(63)}.pdf`],
  ['reserved device name CON', 'CON.pdf'],
  ['reserved device name con (lower case)', 'con.pdf'],
  ['reserved device name NUL', 'NUL.pdf'],
  ['reserved device name NUL, two extensions', 'NUL.tar.pdf'],
  ['reserved device name COM1', 'COM1.pdf'],
  ['reserved device name LPT9', 'LPT9.pdf'],
  ['reserved device name PRN', 'PRN.pdf'],
  ['reserved device name AUX with a space', 'AUX .pdf'],
  ['reserved device name COM¹', 'COM\u00B9.pdf'],
  ['leading dot (hidden file)', '.pdf'],
  ['leading dot', '.htaccess.pdf'],
  ['dot', '.'],
  ['dot dot', '..'],
  ['trailing dot', 'x.pdf.'],
  ['trailing dots', 'x.pdf...'],
  ['trailing space', 'x.pdf '],
  ['trailing spaces', 'x.pdf   '],
  ['quote (breaks Content-Disposition)', 'a".pdf'],
  ['angle brackets', '<script>.pdf'],
  ['pipe', 'a|b.pdf'],
  ['wildcards', '*.pdf'],
  ['question mark', 'a?.pdf'],
  ['lone surrogate', 'a\uD800.pdf'],
  ['empty', ''],
];

describe('hostile file names', () => {
  it.each(HOSTILE_FILE_NAMES)('refuses %s with 400 naming fileName', async (_what, fileName) => {
    const { result, changes } = await request(fileName);
    expectErrorJson(result, JSON.stringify(fileName));
    expect(result.statusCode).toBe(400);
    expect(fieldsOf(result)).toContain('fileName');
    expect(changes).toEqual([]);
    expectPrototypesClean(fileName);
    refused++;
  });

  it('refuses any name with a hostile piece in it (fast-check)', async () => {
    const hostilePiece = fc.constantFrom(
      ...ODD_PIECES.filter((piece) => !FileNameSchema.safeParse(`a${piece}b.pdf`).success),
      '/',
      '\\',
      ':',
      '\u0000',
      '\u202E',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        hostilePiece,
        fc.string({ maxLength: 20 }),
        async (before, piece, after) => {
          const fileName = `${before}${piece}${after}.pdf`;
          const { result, changes } = await request(fileName);
          expect(result.statusCode, JSON.stringify(fileName)).toBe(400);
          expect(fieldsOf(result)).toContain('fileName');
          expect(changes).toEqual([]);
          refused++;
        },
      ),
      { numRuns: RUNS, seed: 2026 },
    );
  });

  it.each([
    '敦化市医药产业集群申报书.pdf',
    '申报书（终稿）.pdf',
    '2024年度 统计报表 v2.pdf',
    '附件3：佐证材料.pdf', // full-width colon: allowed on Windows, common in Chinese names
    'Résumé – naïve café.pdf',
    '集群📄.pdf',
    CHINESE_255,
  ])('accepts the real name %s', async (fileName) => {
    world = await seedWorld();
    const { result, changes } = await request(fileName);
    expect(result.statusCode, result.body).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({ fileName });
    expect(changes).toContain('S3 presigned POST');
  });

  it('refused every listed name and every generated one', () => {
    expect(refused).toBe(HOSTILE_FILE_NAMES.length + RUNS);
  });
});
