import { setImmediate as nextTurnOfTheEventLoop } from 'node:timers/promises';
import type { FileType } from '../schemas/common.ts';
import { asBuffer } from './bytes.ts';
import { type CompoundKind, CompoundFileReader } from './cfb.ts';
import { fileDigest } from './digest.ts';
import { JpegInspector } from './jpeg.ts';
import { FINDING_CODES } from './messages.ts';
import { PdfInspector } from './pdf.ts';
import { PngInspector } from './png.ts';
import { PolyglotInspector } from './polyglot.ts';
import { Report } from './report.ts';
import { type Family, HEAD_BYTES, type Sniffed, sniff } from './sniff.ts';
import type { ExpectedFile, Inspection, InspectionHow, InspectionLimits, Inspector } from './types.ts';
import { ZipInspector } from './zip.ts';

export { FINDING_CODES, MESSAGES, messageFor } from './messages.ts';
export type {
  ExpectedFile,
  Finding,
  FindingCode,
  FindingDetail,
  Inspection,
  InspectionFacts,
  InspectionHow,
  InspectionLimits,
} from './types.ts';

const MiB = 1024 * 1024;

/**
 * While zlib inflates on libuv's pool, the reader lets the event loop turn once per this many
 * bytes. A source whose chunks are already buffered (an S3 body read faster than it is checked)
 * resolves each read in a microtask, so without a turn zlib's finished pieces would wait for the
 * whole walk, and its thread would sit idle after each piece: on the bench's DOCX the walk was
 * idle a third of its time. One turn per MiB costs a few microseconds.
 */
const YIELD_EVERY = MiB;

/**
 * - 10,000 entries: a large DOCX or XLSX has a few hundred parts and an OFD about three per
 *   page, so a 1,000-page OFD stays well inside; the cap also bounds per-entry bookkeeping.
 * - 512 MiB inflated: large spreadsheets expand ten- to twentyfold, so this admits a 25 MiB
 *   XLSX with room to spare, and inflating that much (output counted, never kept) costs about
 *   a second of CPU.
 * - Ratio 100: Apache POI's default (minimum inflate ratio 0.01); real Office parts stay under
 *   ~30, zero-filled bombs reach ~1000. Applied only past 1 MiB of output per entry.
 * - 100 megapixels: phone cameras take 12–50 MP and an A3 page scanned at 600 dpi is ~70 MP,
 *   while decoding 100 MP as RGBA already needs 400 MB, a thumbnailer Lambda's whole memory.
 */
export const DEFAULT_LIMITS: InspectionLimits = Object.freeze({
  maxZipEntries: 10_000,
  maxUncompressedBytes: 512 * MiB,
  maxCompressionRatio: 100,
  maxPixels: 100_000_000,
});

/**
 * Inspects an uploaded evidence file while reading it once, in constant memory: SHA-256 and
 * size of every byte, the real format from its first bytes, and format-specific structure
 * checks fed chunk by chunk. Throws only when the source itself throws.
 *
 * Too large: once more than `expected.maxBytes` have arrived, reading stops (the iterator is
 * returned, which destroys an S3 body stream) and TOO_LARGE is the only size finding; `size`
 * and `sha256` then cover only the bytes read, and `facts.stoppedEarly` is set. This bounds the
 * Lambda's time and transfer whatever the bucket policy let through.
 *
 * `how`: where SHA-256 is taken (InspectionHow; by default `fileDigest` chooses by size and cores).
 */
export async function inspectStream(
  source: AsyncIterable<Uint8Array>,
  expected: ExpectedFile,
  limits: Partial<InspectionLimits> = {},
  how: InspectionHow = {},
): Promise<Inspection> {
  const settings: InspectionLimits = { ...DEFAULT_LIMITS, ...limits };
  const report = new Report();
  const hash = fileDigest(expected.declaredSize, how.hashBeside);
  let size = 0;
  let stoppedEarly = false;
  // Small chunks are kept (copied) until HEAD_BYTES have arrived, then sniffed together.
  let pending: Buffer[] = [];
  let started: Started | undefined;
  /** Bytes read since the event loop last turned (see YIELD_EVERY). */
  let unyielded = 0;

  try {
    for await (const part of source) {
      const chunk = asBuffer(part);
      if (chunk.length === 0) continue;
      // The hashing thread may still be behind: the chunk is walked meanwhile, and held (not
      // copied) until both are done with it.
      const hashing = hash.update(chunk);
      hashing?.catch(() => undefined); // awaited below; a walk that throws first abandons it
      size += chunk.length;
      if (size > expected.maxBytes) {
        await hashing;
        stoppedEarly = true;
        break;
      }
      if (started) {
        await feed(started.inspectors, chunk);
        await hashing;
        unyielded += chunk.length;
        if (unyielded >= YIELD_EVERY && started.zip?.inflatingOnPool) {
          unyielded = 0;
          await nextTurnOfTheEventLoop();
        }
        continue;
      }
      if (size < HEAD_BYTES) {
        pending.push(Buffer.from(chunk));
      } else {
        const before = size - chunk.length;
        started = start(Buffer.concat([...pending, chunk.subarray(0, HEAD_BYTES - before)]), settings, report);
        if (pending.length > 0) await feed(started.inspectors, Buffer.concat(pending));
        await feed(started.inspectors, chunk);
        pending = [];
      }
      await hashing;
    }
    if (!stoppedEarly && !started && size > 0) {
      const head = Buffer.concat(pending);
      started = start(head, settings, report);
      await feed(started.inspectors, head);
    }
  } catch (error) {
    // A read that fails (the S3 body, an inspector) frees the digest's buffers and its worker.
    hash.abandon();
    throw error;
  }

  // The last pieces are hashed while the inspectors finish (zlib's last entries, the PDF's end).
  const digesting = hash.digest();
  digesting.catch(() => undefined); // awaited below, where a failure fails the inspection

  let detectedType: FileType | 'unknown' = 'unknown';
  if (started) {
    // A file cut short at TOO_LARGE is not judged on its (missing) end.
    for (const inspector of started.inspectors) {
      if (stoppedEarly) inspector.close?.();
      else await inspector.finish();
    }
    detectedType = judgeType(started, expected, report, !stoppedEarly);
  }

  const sha256 = await digesting;
  if (size === 0) report.add('EMPTY');
  if (stoppedEarly) {
    report.facts.stoppedEarly = true;
    report.add('TOO_LARGE', {
      limitMiB: Math.round((expected.maxBytes / MiB) * 10) / 10,
      maxBytes: expected.maxBytes,
    });
  } else {
    if (size !== expected.declaredSize) {
      report.add('SIZE_MISMATCH', { actual: size, declared: expected.declaredSize });
    }
    if (expected.sha256 !== undefined && expected.sha256.toLowerCase() !== sha256) {
      report.add('CHECKSUM_MISMATCH', { expected: expected.sha256.toLowerCase(), actual: sha256 });
    }
  }

  // A stable order (the message table's: general to specific), whatever the chunking.
  const findings = report.findings.sort((a, b) => FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code));
  // Warnings matter only on a file that is otherwise accepted.
  const warnings = findings.length === 0 ? report.warnings : [];
  return { sha256, size, detectedType, findings, valid: findings.length === 0, warnings, facts: report.facts };
}

/** What sniffing alone can tell; zip-based types need the entry names. */
const TYPE_OF_FAMILY: Record<Family, FileType | 'unknown'> = {
  pdf: 'pdf',
  jpeg: 'jpeg',
  png: 'png',
  zip: 'unknown',
  other: 'unknown',
};

interface Started {
  sniffed: Sniffed;
  head: Buffer;
  inspectors: Inspector[];
  zip?: ZipInspector;
  /** An OLE2 compound file's directory, read only to say what it is (./cfb.ts). */
  compound?: CompoundFileReader;
}

function start(head: Buffer, limits: InspectionLimits, report: Report): Started {
  const sniffed = sniff(head);
  const started: Started = { sniffed, head, inspectors: [] };
  switch (sniffed.family) {
    case 'pdf':
      started.inspectors.push(new PdfInspector(report));
      break;
    case 'jpeg':
      started.inspectors.push(new JpegInspector(report, limits.maxPixels));
      break;
    case 'png':
      started.inspectors.push(new PngInspector(report, limits.maxPixels));
      break;
    case 'zip':
      started.zip = new ZipInspector(report, limits);
      started.inspectors.push(started.zip);
      break;
    case 'other':
      if (sniffed.label === 'ole2') {
        started.compound = new CompoundFileReader();
        started.inspectors.push(started.compound);
      }
      return started; // not a format we take: TYPE_MISMATCH (or PDF_NO_HEADER, OFFICE_*) says enough
  }
  started.inspectors.push(new PolyglotInspector(report, sniffed.family, head));
  return started;
}

async function feed(inspectors: Inspector[], chunk: Buffer): Promise<void> {
  for (const inspector of inspectors) {
    const pending = inspector.push(chunk); // only the zip inspector ever returns a promise
    if (pending) await pending;
  }
}

/** The detected type, and the finding that says how it differs from the expected one. */
function judgeType(started: Started, expected: ExpectedFile, report: Report, wholeFile: boolean): FileType | 'unknown' {
  const { sniffed, head, zip } = started;
  if (!zip) {
    const detected = TYPE_OF_FAMILY[sniffed.family];
    if (detected === expected.type) return detected;
    if (started.compound && compoundFinding(started.compound.kind, expected, report)) return detected;
    const pdfAt = head.indexOf('%PDF-');
    if (expected.type === 'pdf' && sniffed.label === 'unknown' && pdfAt > 0) {
      report.add('PDF_NO_HEADER', { offset: pdfAt });
    } else {
      report.add('TYPE_MISMATCH', { expected: expected.type, detected: sniffed.label });
    }
    return detected;
  }
  // Zip-based: the entry names say what it is, so only a complete walk can say what it is not.
  const detected = zip.documentType;
  if (detected === expected.type) return detected;
  if (detected !== undefined) {
    report.add('TYPE_MISMATCH', { expected: expected.type, detected });
  } else if (!wholeFile || !zip.complete) {
    // Cut short or broken: that finding is already there.
  } else if (expected.type === 'docx' || expected.type === 'xlsx') {
    report.add('OOXML_NOT_DOCUMENT', { expected: expected.type });
  } else if (expected.type === 'ofd') {
    report.add('OFD_NO_ROOT');
  } else {
    report.add('TYPE_MISMATCH', { expected: expected.type, detected: 'zip' });
  }
  return detected ?? 'unknown';
}

/** How each older Office format is named in messages, and what it can be saved as in its own program. */
const OLD_FORMATS: Record<
  Exclude<CompoundKind, 'encrypted-ooxml'>,
  { label: string; format: string; saves: FileType[] }
> = {
  word: { label: 'doc', format: 'Word (.doc/.wps)', saves: ['docx', 'pdf'] },
  excel: { label: 'xls', format: 'Excel (.xls/.et)', saves: ['xlsx', 'pdf'] },
  powerpoint: { label: 'ppt', format: 'PowerPoint (.ppt/.dps)', saves: ['pdf'] },
};
const SAVE_AS: Partial<Record<FileType, string>> = { docx: '.docx', xlsx: '.xlsx', pdf: 'PDF' };

/**
 * A compound file that is a password-protected DOCX or XLSX, or an Office 97–2003 document: the
 * finding that tells the official what to do (true), or nothing known (false: TYPE_MISMATCH, ole2).
 * A protected package is OFFICE_PASSWORD whatever was expected, with TYPE_MISMATCH beside it where
 * a DOCX or XLSX was not; an old document is OFFICE_OLD_FORMAT where its program can save it as
 * the expected type, and TYPE_MISMATCH naming it (doc, xls, ppt) where it cannot.
 */
function compoundFinding(kind: CompoundKind | undefined, expected: ExpectedFile, report: Report): boolean {
  if (kind === undefined) return false;
  if (kind === 'encrypted-ooxml') {
    report.add('OFFICE_PASSWORD');
    if (expected.type !== 'docx' && expected.type !== 'xlsx') {
      report.add('TYPE_MISMATCH', { expected: expected.type, detected: 'docx/xlsx' });
    }
    return true;
  }
  const old = OLD_FORMATS[kind];
  const saveAs = SAVE_AS[expected.type];
  if (saveAs !== undefined && old.saves.includes(expected.type)) {
    report.add('OFFICE_OLD_FORMAT', { format: old.format, saveAs });
  } else {
    report.add('TYPE_MISMATCH', { expected: expected.type, detected: old.label });
  }
  return true;
}
