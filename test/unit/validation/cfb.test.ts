import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileType } from '../../../shared/schemas/common.ts';
import {
  type CompoundFileLayout,
  compoundFile,
  ENCRYPTED_OOXML_STREAMS,
  EXCEL_97_STREAMS,
  WORD_97_STREAMS,
} from '../../fixtures/compound-file.ts';
import { codes, inspect } from './helpers.ts';

const GENUINE = join(import.meta.dirname, '../../fixtures/genuine-office');
const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const LAYOUTS: Array<[string, CompoundFileLayout]> = [
  ['FAT first, 512-byte sectors', {}],
  ['directory last (as Word writes it)', { order: 'directory-last', filler: 12 }],
  ['FAT after the directory', { order: 'fat-last', filler: 6 }],
  ['4096-byte sectors', { sectorSize: 4096 }],
  ['4096-byte sectors, directory last', { sectorSize: 4096, order: 'directory-last', filler: 3 }],
  ['a root entry named only by its first letter', { root: 'R' }],
];

async function detail(data: Buffer, type: FileType, chunk?: number) {
  const result = await inspect(data, type, chunk === undefined ? {} : { chunk });
  expect(result.valid).toBe(false);
  return result.findings.map((f) => [f.code, f.detail ?? {}]);
}

describe('OLE2 compound files: what the message says', () => {
  it.each(LAYOUTS)('a password-protected DOCX or XLSX is OFFICE_PASSWORD (%s)', async (_, layout) => {
    const data = compoundFile(ENCRYPTED_OOXML_STREAMS, layout);
    for (const chunk of [1, 7, 509, 64 * 1024]) {
      expect(await detail(data, 'docx', chunk)).toEqual([['OFFICE_PASSWORD', {}]]);
      expect(await detail(data, 'xlsx', chunk)).toEqual([['OFFICE_PASSWORD', {}]]);
    }
  });

  it('tells how to clear the password, in both languages', async () => {
    const [finding] = (await inspect(compoundFile(ENCRYPTED_OOXML_STREAMS), 'docx')).findings;
    expect(finding?.message.zh).toContain('用密码进行加密');
    expect(finding?.message.en).toContain('Encrypt with Password');
  });

  it('a protected package where a PDF or picture was expected is a type mismatch too', async () => {
    const data = compoundFile(ENCRYPTED_OOXML_STREAMS);
    for (const type of ['pdf', 'png', 'jpeg', 'ofd'] as const) {
      expect(await detail(data, type)).toEqual([
        ['TYPE_MISMATCH', { expected: type, detected: 'docx/xlsx' }],
        ['OFFICE_PASSWORD', {}],
      ]);
    }
  });

  it.each(LAYOUTS)('a Word 97–2003 document is OFFICE_OLD_FORMAT, save as .docx or PDF (%s)', async (_, layout) => {
    const data = compoundFile(WORD_97_STREAMS, layout);
    const format = 'Word (.doc/.wps)';
    expect(await detail(data, 'docx', 7)).toEqual([['OFFICE_OLD_FORMAT', { format, saveAs: '.docx' }]]);
    expect(await detail(data, 'pdf')).toEqual([['OFFICE_OLD_FORMAT', { format, saveAs: 'PDF' }]]);
  });

  it('LibreOffice’s Word 97 and Excel 97 files are OFFICE_OLD_FORMAT, in 64 KiB and in 7-byte chunks', async () => {
    const doc = readFileSync(join(GENUINE, 'writer-letter-word97.doc'));
    const xls = readFileSync(join(GENUINE, 'calc-formulas-excel97.xls'));
    for (const chunk of [64 * 1024, 7]) {
      expect(await detail(doc, 'docx', chunk)).toEqual([
        ['OFFICE_OLD_FORMAT', { format: 'Word (.doc/.wps)', saveAs: '.docx' }],
      ]);
      expect(await detail(xls, 'xlsx', chunk)).toEqual([
        ['OFFICE_OLD_FORMAT', { format: 'Excel (.xls/.et)', saveAs: '.xlsx' }],
      ]);
    }
  });

  it('an Excel 97–2003 workbook (Workbook, or Excel 5’s Book) is OFFICE_OLD_FORMAT, save as .xlsx', async () => {
    for (const streams of [EXCEL_97_STREAMS, ['Book']]) {
      expect(await detail(compoundFile(streams, { order: 'directory-last' }), 'xlsx')).toEqual([
        ['OFFICE_OLD_FORMAT', { format: 'Excel (.xls/.et)', saveAs: '.xlsx' }],
      ]);
    }
  });

  it('an old document its program cannot save as the expected type names itself in a type mismatch', async () => {
    expect(await detail(compoundFile(WORD_97_STREAMS), 'xlsx')).toEqual([
      ['TYPE_MISMATCH', { expected: 'xlsx', detected: 'doc' }],
    ]);
    expect(await detail(compoundFile(EXCEL_97_STREAMS), 'jpeg')).toEqual([
      ['TYPE_MISMATCH', { expected: 'jpeg', detected: 'xls' }],
    ]);
    expect(await detail(compoundFile(['PowerPoint Document']), 'docx')).toEqual([
      ['TYPE_MISMATCH', { expected: 'docx', detected: 'ppt' }],
    ]);
  });

  it('a protected package is OFFICE_PASSWORD even beside a WordDocument stream', async () => {
    expect(await detail(compoundFile([...WORD_97_STREAMS, ...ENCRYPTED_OOXML_STREAMS]), 'docx')).toEqual([
      ['OFFICE_PASSWORD', {}],
    ]);
  });

  it('an encrypted package without its encryption info is not called password-protected', async () => {
    expect(codes(await inspect(compoundFile(['EncryptedPackage']), 'docx'))).toEqual(['TYPE_MISMATCH']);
  });

  it('a compound file of other streams, or one that does not parse, stays TYPE_MISMATCH (ole2)', async () => {
    const unknown = [
      compoundFile(['__substg1.0_0037001F', '__properties_version1.0']), // an Outlook message
      Buffer.concat([CFB_SIGNATURE, randomBytes(4096)]),
      CFB_SIGNATURE,
      compoundFile(WORD_97_STREAMS).subarray(0, 1024), // cut before its directory
    ];
    for (const data of unknown) {
      expect(await detail(data, 'docx')).toEqual([['TYPE_MISMATCH', { expected: 'docx', detected: 'ole2' }]]);
    }
  });

  it('keeps a bounded number of directory-like sectors: a directory behind too many is left unidentified', async () => {
    // 4096-byte sectors: 15 decoys (60 KiB) leave room for the directory; 16 fill the 64 KiB kept.
    const behind = (decoys: number) => compoundFile(WORD_97_STREAMS, { sectorSize: 4096, decoys });
    expect(codes(await inspect(behind(15), 'docx'))).toEqual(['OFFICE_OLD_FORMAT']);
    expect(await detail(behind(16), 'docx')).toEqual([['TYPE_MISMATCH', { expected: 'docx', detected: 'ole2' }]]);
  });
});
