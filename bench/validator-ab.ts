/**
 * This tree's validator against another tree of the repository (a worktree of main, say), in one
 * process, the two alternating and best of `runs` each: what a change costs or saves, with the
 * machine's load falling on both alike. For the zip shapes of ./validator-files.ts at `MiB`:
 *
 *   inspectStream   the whole inspection, in 1 MiB chunks (zlib and hashing included: noisy)
 *   part checks     the part checks alone (../shared/validation/ooxml/parts.ts) over the inflated
 *                   entries, in the inflater's pieces: where a change to the checks shows
 *
 * the PDF scan's three shapes of ./validator.ts (a scanned PDF, its images under FlateDecode,
 * every /Length indirect), whole inspections; and the OFD check on its worst case, a resource
 * list of 100,000 media files, where every item the text stream hands on is a location. Ratios:
 * this tree's throughput over the other's (above 1, this tree is faster).
 *
 *   npx tsx bench/validator-ab.ts <other tree> [MiB = 16] [runs = 9]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import * as mine from '../shared/validation/inspect.ts';
import { outputChunkFor } from '../shared/validation/inflate.ts';
import * as myContent from '../shared/validation/ofd/content.ts';
import * as myInspection from '../shared/validation/ooxml/package-inspection.ts';
import * as myParts from '../shared/validation/ooxml/parts.ts';
import * as myReport from '../shared/validation/report.ts';
import { largeDocx, largeOfd, largeXlsx, scannedPdf, storedEntries } from './validator-files.ts';

const MiB = 1024 * 1024;

interface Tree {
  inspect: typeof mine;
  parts: typeof myParts;
  content: typeof myContent;
  report: typeof myReport;
  /** What the tree's part checks take for one package: its inspection context, or (before round 9) the Report. */
  inspection: (report: myReport.Report) => myInspection.PackageInspection;
}

async function treeAt(root: string): Promise<Tree> {
  // The other tree's modules, taken to have this tree's shapes (the bench uses only long-standing exports).
  const load = <T>(path: string) => import(pathToFileURL(resolve(root, path)).href) as Promise<T>;
  return {
    inspect: await load<typeof mine>('shared/validation/inspect.ts'),
    parts: await load<typeof myParts>('shared/validation/ooxml/parts.ts'),
    content: await load<typeof myContent>('shared/validation/ofd/content.ts'),
    report: await load<typeof myReport>('shared/validation/report.ts'),
    inspection: await load<typeof myInspection>('shared/validation/ooxml/package-inspection.ts').then(
      ({ PackageInspection }) =>
        (report: myReport.Report) =>
          new PackageInspection(report),
      // An older tree's part checks take the Report itself.
      () => (report: myReport.Report) => report as unknown as myInspection.PackageInspection,
    ),
  };
}

async function* chunks(file: Buffer): AsyncIterable<Uint8Array> {
  for (let at = 0; at < file.length; at += MiB) yield file.subarray(at, at + MiB);
}

/** A zip's entries, inflated and cut as the walk cuts them. */
const inflatedEntries = (file: Buffer): { name: string; pieces: Buffer[] }[] =>
  storedEntries(file).map(({ name, method, data }) => ({
    name,
    pieces: cut(method === 8 ? inflateRawSync(data) : data),
  }));

function cut(data: Buffer): Buffer[] {
  const size = outputChunkFor(data.length);
  return Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));
}

/** Milliseconds `run` takes. */
async function timed(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function judgedValid(findings: readonly unknown[]): void {
  if (findings.length > 0) throw new Error(`benchmark judged invalid: ${JSON.stringify(findings)}`);
}

/** Best of `runs` for this tree and the other, alternating which goes first. */
async function alternate(runs: number, run: (tree: Tree) => unknown, trees: [Tree, Tree]): Promise<[number, number]> {
  const best: [number, number] = [Infinity, Infinity];
  for (const tree of trees) await run(tree); // warm-up
  for (let i = 0; i < runs; i++) {
    for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
      best[which] = Math.min(best[which] as number, await timed(() => run(trees[which] as Tree)));
    }
  }
  return best;
}

function resourceList(): Buffer {
  const media = Array.from(
    { length: 100_000 },
    (_, i) =>
      `<ofd:MultiMedia ID="${i + 100}" Type="Image"><ofd:MediaFile>image_${i}.png</ofd:MediaFile></ofd:MultiMedia>`,
  ).join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res"><ofd:MultiMedias>${media}</ofd:MultiMedias></ofd:Res>`,
  );
}

const line = (label: string, [mineMs, otherMs]: [number, number]) =>
  `  ${label.padEnd(46)} this ${mineMs.toFixed(1).padStart(7)} ms  other ${otherMs.toFixed(1).padStart(7)} ms  ratio ${(otherMs / mineMs).toFixed(3)}`;

export async function benchAgainst(other: string, mib: number, runs: number): Promise<string[]> {
  const trees: [Tree, Tree] = [
    {
      inspect: mine,
      parts: myParts,
      content: myContent,
      report: myReport,
      inspection: (report) => new myInspection.PackageInspection(report),
    },
    await treeAt(other),
  ];
  const lines: string[] = [];
  const shapes = [
    ['docx', largeDocx],
    ['xlsx', largeXlsx],
    ['ofd', largeOfd],
  ] as const;
  for (const [type, make] of shapes) {
    const file = await make(mib * MiB);
    const inspected = await alternate(
      runs,
      async ({ inspect }) => {
        const result = await inspect.inspectStream(chunks(file), {
          type,
          declaredSize: file.length,
          maxBytes: file.length,
        });
        judgedValid(result.findings);
      },
      trees,
    );
    const entries = inflatedEntries(file);
    const checked = await alternate(
      runs,
      ({ parts, report, inspection }) => {
        const found = new report.Report();
        const inspected = inspection(found);
        for (const entry of entries) {
          const check = parts.partCheckFor(entry.name, inspected);
          for (const piece of entry.pieces) check.write(piece);
          check.end();
        }
        judgedValid(found.findings);
      },
      trees,
    );
    const size = `${type} ${(file.length / MiB).toFixed(1)} MiB`;
    lines.push(line(`${size}: inspectStream`, inspected), line(`${size}: part checks`, checked));
  }
  // The PDF scan's shapes (./validator.ts's): whole inspections, the scan having no part checks.
  const pdfShapes = [
    ['pdf-scan', {}],
    ['pdf-scan-flate', { imageFilter: 'FlateDecode' }],
    ['pdf-indirect-length', { indirectLengths: true }],
  ] as const;
  for (const [label, opts] of pdfShapes) {
    const file = scannedPdf(mib * MiB, opts);
    const inspected = await alternate(
      runs,
      async ({ inspect }) => {
        const result = await inspect.inspectStream(chunks(file), {
          type: 'pdf',
          declaredSize: file.length,
          maxBytes: file.length,
        });
        judgedValid(result.findings);
      },
      trees,
    );
    lines.push(line(`${label} ${(file.length / MiB).toFixed(1)} MiB: inspectStream`, inspected));
  }
  const list = cut(resourceList());
  const listed = await alternate(
    runs,
    ({ content, report }) => {
      const found = new report.Report();
      const check = new content.OfdContentCheck(found);
      for (const piece of list) check.write(piece);
      check.end();
      judgedValid(found.findings);
    },
    trees,
  );
  lines.push(line('OFD resource list: OFD check', listed));
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [other, mib = '16', runs = '9'] = process.argv.slice(2);
  if (!other) throw new Error('usage: npx tsx bench/validator-ab.ts <other tree> [MiB] [runs]');
  console.log(`validator, this tree against ${other}: ${mib} MiB files, best of ${runs}, alternating`);
  for (const l of await benchAgainst(other, Number(mib), Number(runs))) console.log(l);
}
