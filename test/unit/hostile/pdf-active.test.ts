import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectStream } from '../../../shared/validation/inspect.ts';
import { buildClassicPdf, buildPdf, pageObjects } from '../../fixtures/active-pdf.ts';
import { chunked, MiB, pdfLibPdf, pdfWithScript } from '../../fixtures/files.ts';
import { ACTIVE_CORPUS, ACTIVE_GENUINE } from './corpus-active.ts';

/** The whole-file PDF scan (shared/validation/pdf/) on its edges: chunking, noise, bombs. */

const inspect = (file: Buffer, chunk = 64 * 1024) =>
  inspectStream(chunked(file, chunk), { type: 'pdf', declaredSize: file.length, maxBytes: 64 * MiB });
const codes = async (file: Buffer, chunk?: number) => (await inspect(file, chunk)).findings.map((f) => f.code);

describe('PDF active content, read whole', () => {
  it.each([1, 7, 13, 1000])('finds the same thing however the file is chunked (%i-byte chunks)', async (chunk) => {
    for (const id of [
      'pdf-active-javascript-objstm-lzw',
      'pdf-active-openaction-uri-incremental',
      'pdf-active-xfa-escaped',
      'pdf-active-embedded-file-objstm-flate-png',
      'pdf-header-inside-string',
      'pdf-stream-keyword-inside-string',
      'pdf-stream-keyword-after-inner-dictionary',
      'pdf-object-defined-twice-first-acts',
      'pdf-external-stream-data',
    ]) {
      const item = ACTIVE_CORPUS.find((i) => i.id === id);
      if (!item) throw new Error(id);
      const file = await item.bytes();
      const whole = await codes(file);
      expect(whole).toContain(item.expect);
      expect(await codes(file, chunk), `${id} in ${chunk}-byte chunks`).toEqual(whole);
    }
  });

  it('accepts genuine PDFs however they are chunked, pdf-lib ones included', async () => {
    const files = [await pdfLibPdf(), buildPdf(pageObjects(), { packed: [1, 2, 3, 5], packing: 'a85-flate' })];
    for (const file of files) {
      for (const chunk of [1, 5, 64 * 1024]) expect(await codes(file, chunk)).toEqual([]);
    }
  });

  it('accepts strings that quote PDF syntax and updated opening GoTos however they are chunked', async () => {
    for (const id of ['pdf-string-with-keywords', 'pdf-openaction-goto-updated', 'pdf-link-annotation-gotor']) {
      const file = await (ACTIVE_GENUINE.find((i) => i.id === id) as (typeof ACTIVE_GENUINE)[number]).bytes();
      for (const chunk of [1, 7, 64 * 1024])
        expect(await codes(file, chunk), `${id} in ${chunk}-byte chunks`).toEqual([]);
    }
  });

  it('finds pdf-lib document scripts, with and without object streams', async () => {
    expect(await codes(await pdfWithScript())).toEqual(['PDF_SCRIPT']);
    expect(await codes(await pdfWithScript({ objectStreams: false }))).toEqual(['PDF_SCRIPT']);
  });

  it('does not read names in stream data that holds no objects (content, images)', async () => {
    const noisy = Buffer.concat(
      Array.from({ length: 2000 }, () => Buffer.concat([randomBytes(200), Buffer.from('/JS /EF /AA ')])),
    );
    const file = buildClassicPdf([
      ...pageObjects(),
      { num: 6, body: '/Type /XObject /Subtype /Image /Filter /FlateDecode', stream: noisy },
    ]);
    expect(await codes(file)).toEqual([]);
  });

  it('does not take the names of other keys for active ones (/JSON, /EFx, /JavaScripts, /AAx)', async () => {
    expect(await codes(buildPdf(pageObjects('/JSON 1 /EFx 2 /JavaScripts 3 /AAx 4')))).toEqual([]);
  });

  it('refuses object streams that would inflate past the budget', async () => {
    // A well-formed object stream (one pair, then whitespace): only the budget stops it.
    const bomb = deflateSync(Buffer.concat([Buffer.from('7 0 '), Buffer.alloc(32 * MiB)]));
    const objects = [
      ...pageObjects(),
      ...Array.from({ length: 4 }, (_, i) => ({
        num: 6 + i,
        body: '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode',
        stream: bomb,
      })),
    ];
    const file = buildClassicPdf(objects);
    expect(file.length).toBeLessThan(MiB);
    const result = await inspect(file);
    expect(result.findings.map((f) => f.code)).toEqual(['PDF_UNREADABLE']);
    expect(result.findings[0]?.detail?.reason).toMatch(/over the limit|maxOutputLength|buffer/i);
  });

  it('follows /OpenAction through /Next chains (and names a link into a share)', async () => {
    const chained = buildPdf([
      ...pageObjects('/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>'),
      { num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] /Next [7 0 R] >>' },
      { num: 7, body: '<< /S /GoToR /F (\\\\\\\\attacker.example\\\\x.pdf) /D [0 /Fit] >>' },
    ]);
    const result = await inspect(chained);
    expect(result.findings.map((f) => f.code)).toEqual(['PDF_ACTION']);
    expect(result.findings[0]?.detail).toEqual({ feature: '/OpenAction /GoToR, /GoToR \\\\attacker.example\\x.pdf' });
  });

  it('shows each link out of a genuine PDF as a warning, however it is chunked: five named, the rest counted', async () => {
    const warnings = async (id: string, chunk?: number) => {
      const item = ACTIVE_GENUINE.find((i) => i.id === id);
      if (!item) throw new Error(id);
      const result = await inspect(await item.bytes(), chunk);
      expect(result.findings, id).toEqual([]);
      return result.warnings;
    };
    for (const item of ACTIVE_GENUINE.filter((i) => i.declared === 'pdf')) {
      const codes = new Set((await warnings(item.id)).map((w) => w.code));
      expect([...codes], item.id).toEqual(item.warning ? [item.warning] : []);
    }
    for (const chunk of [1, 7, 64 * 1024]) {
      expect((await warnings('pdf-links-https-many', chunk)).map((w) => w.detail)).toEqual([
        ...['a', 'b', 'c', 'd', 'e'].map((page) => ({ target: `https://www.miit.gov.cn/${page}` })),
        { target: '… (+2)' },
      ]);
    }
    const [gotor] = await warnings('pdf-link-gotor-filespec-relative');
    expect(gotor?.detail).toEqual({ target: '附件/annex.pdf' });
    expect(gotor?.message.en).toBe(
      'The file contains a hyperlink to 附件/annex.pdf; do not follow links you do not trust.',
    );
  });

  it('refuses a link into a share however it is chunked, naming its target', async () => {
    const unc = '\\\\attacker.example\\share\\x.pdf';
    for (const [id, feature] of [
      ['pdf-link-gotor-unc', `/GoToR ${unc}`],
      ['pdf-link-gotor-by-reference-objstm', `/GoToR ${unc}`],
      ['pdf-link-updated-to-unc', `/URI ${unc}`],
      ['pdf-uri-base-file', '/URI /Base file://attacker.example/share/'],
    ] as const) {
      const item = ACTIVE_CORPUS.find((i) => i.id === id);
      if (!item) throw new Error(id);
      const file = await item.bytes();
      for (const chunk of [1, 7, 64 * 1024]) {
        const result = await inspect(file, chunk);
        expect(
          result.findings.map((f) => [f.code, f.detail]),
          `${id} in ${chunk}-byte chunks`,
        ).toEqual([['PDF_ACTION', { feature }]]);
        expect(result.warnings).toEqual([]);
      }
    }
  });
});
