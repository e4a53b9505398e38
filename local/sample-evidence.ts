import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * Real, well-formed evidence files for the demo: PDFs made with pdf-lib (the standard fonts
 * carry no CJK glyphs, so the page text is English; the file names are Chinese).
 */
export async function samplePdf(title: string, lines: readonly string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('cluster-pipeline demo');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText(title, { x: 56, y: 770, size: 18, font });
  lines.forEach((line, i) => {
    page.drawText(line, { x: 56, y: 730 - i * 20, size: 11, font });
  });
  return doc.save();
}

/** A Windows executable's first bytes under a .pdf name: what a careless or hostile upload looks like. */
export function disguisedExecutable(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set([0x4d, 0x5a, 0x90, 0x00, 0x03]);
  bytes.set(new TextEncoder().encode('This program cannot be run in DOS mode.'), 78);
  return bytes;
}
