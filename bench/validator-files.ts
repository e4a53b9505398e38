/**
 * Evidence files of realistic shape and size for the validator benchmark, built in memory:
 * a scanned PDF (one image per page, a compressed content stream per page, page dictionaries in
 * compressed object streams, a cross-reference stream), the same with every /Length indirect (as
 * Ghostscript writes), and DOCX, XLSX and OFD files with many parts.
 */
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { ZipFile } from 'yazl';

const MiB = 1024 * 1024;

/**
 * Photo bytes: random (incompressible, as JPEG data is) behind a JPEG start-of-image marker, so
 * that no photo can start with `MZ` or `#!` by chance (1 in 32,768 for bare random bytes) and be
 * taken for an executable.
 */
function photo(bytes: number): Buffer<ArrayBuffer> {
  const data = randomBytes(bytes);
  data[0] = 0xff;
  data[1] = 0xd8;
  data[2] = 0xff;
  return data;
}

/** A scanned PDF of about `bytes`: `pages` pages, each one image of bytes/pages. */
export function scannedPdf(bytes: number, opts: { indirectLengths?: boolean; imageFilter?: string } = {}): Buffer {
  const pages = Math.max(1, Math.round(bytes / (400 * 1024)));
  const imageBytes = Math.floor(bytes / pages);
  const images = Array.from({ length: 4 }, () => randomBytes(imageBytes));
  const content = deflateSync(
    Buffer.from(`q ${595} 0 0 ${842} 0 0 cm /Im0 Do Q\nBT /F1 9 Tf 40 20 Td (Scanned page) Tj ET\n`.repeat(20)),
  );
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.length;
  /** Entries by object number: [type, field2]. */
  const xref: Array<[number, number]> = [[0, 0]];
  const emit = (num: number, body: Buffer) => {
    xref[num] = [1, at];
    parts.push(body);
    at += body.length;
  };
  const stream = (num: number, dict: string, data: Buffer): Buffer => {
    if (!opts.indirectLengths) {
      return Buffer.concat([
        Buffer.from(`${num} 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
        data,
        Buffer.from('\nendstream\nendobj\n', 'latin1'),
      ]);
    }
    return Buffer.concat([
      Buffer.from(`${num} 0 obj\n<< ${dict} /Length ${num + 1} 0 R >>\nstream\n`, 'latin1'),
      data,
      Buffer.from(`\nendstream\nendobj\n${num + 1} 0 obj\n${data.length}\nendobj\n`, 'latin1'),
    ]);
  };
  const step = opts.indirectLengths ? 2 : 1;
  // Numbering: 1 catalog, 2 pages, then per page: image, content (each + its length object), page dict.
  const firstPage = 3;
  const perPage = 2 * step + 1;
  const pageNum = (i: number) => firstPage + i * perPage + 2 * step;
  const kids = Array.from({ length: pages }, (_, i) => `${pageNum(i)} 0 R`).join(' ');
  emit(1, Buffer.from('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n', 'latin1'));
  emit(2, Buffer.from(`2 0 obj\n<< /Type /Pages /Count ${pages} /Kids [${kids}] >>\nendobj\n`, 'latin1'));
  const pageDicts: Array<[number, string]> = [];
  const filter = opts.imageFilter ?? 'DCTDecode';
  for (let i = 0; i < pages; i++) {
    const image = firstPage + i * perPage;
    const contentNum = image + step;
    const body = stream(
      image,
      `/Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /${filter}`,
      images[i % images.length]!,
    );
    xref[image] = [1, at];
    if (opts.indirectLengths) xref[image + 1] = [1, at + body.lastIndexOf(`${image + 1} 0 obj`)];
    parts.push(body);
    at += body.length;
    const contentBody = stream(contentNum, '/Filter /FlateDecode', content);
    xref[contentNum] = [1, at];
    if (opts.indirectLengths) xref[contentNum + 1] = [1, at + contentBody.lastIndexOf(`${contentNum + 1} 0 obj`)];
    parts.push(contentBody);
    at += contentBody.length;
    pageDicts.push([
      pageNum(i),
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${image} 0 R >> /Font << >> >> /Contents ${contentNum} 0 R >>`,
    ]);
  }
  // Page dictionaries in object streams of 100, compressed.
  let next = firstPage + pages * perPage;
  for (let from = 0; from < pageDicts.length; from += 100) {
    const group = pageDicts.slice(from, from + 100);
    let offset = 0;
    const header: string[] = [];
    const bodies: string[] = [];
    group.forEach(([num, dict], index) => {
      header.push(`${num} ${offset}`);
      bodies.push(dict);
      offset += dict.length + 1;
      xref[num] = [2, next * 65536 + index];
    });
    const head = `${header.join(' ')}\n`;
    const data = deflateSync(Buffer.from(head + bodies.join('\n'), 'latin1'));
    const num = next++;
    xref[num] = [1, at];
    const body = Buffer.concat([
      Buffer.from(
        `${num} 0 obj\n<< /Type /ObjStm /N ${group.length} /First ${head.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
        'latin1',
      ),
      data,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]);
    parts.push(body);
    at += body.length;
  }
  // The cross-reference stream: [type 1][field 4][index 2].
  const xrefNum = next;
  xref[xrefNum] = [1, at];
  const rows = Buffer.alloc((xrefNum + 1) * 7);
  xref.forEach((entry, num) => {
    if (!entry) return;
    const [type, field] = entry;
    rows.writeUInt8(type, num * 7);
    if (type === 2) {
      rows.writeUInt32BE(Math.floor(field / 65536), num * 7 + 1);
      rows.writeUInt16BE(field % 65536, num * 7 + 5);
    } else {
      rows.writeUInt32BE(field, num * 7 + 1);
    }
  });
  const packed = deflateSync(rows);
  parts.push(
    Buffer.from(
      `${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`,
      'latin1',
    ),
    packed,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1'),
  );
  return Buffer.concat(parts);
}

async function zip(entries: Array<{ name: string; data: Buffer; compress?: boolean }>): Promise<Buffer> {
  const file = new ZipFile();
  for (const e of entries) file.addBuffer(e.data, e.name, { compress: e.compress ?? true });
  file.end();
  const out: Buffer[] = [];
  for await (const part of file.outputStream) out.push(part as Buffer);
  return Buffer.concat(out);
}

/** A zip entry as stored: its name, its method (0 stored, 8 deflated) and its data as written. */
export interface StoredEntry {
  name: string;
  method: number;
  data: Buffer;
}

/**
 * The entries of a zip these builders write (yazl writes a buffer with its sizes in the local
 * header, so the file reads front to back with no central directory).
 */
export function storedEntries(file: Buffer): StoredEntry[] {
  const found: StoredEntry[] = [];
  for (let at = 0; file.readUInt32LE(at) === 0x04034b50;) {
    const nameEnd = at + 30 + file.readUInt16LE(at + 26);
    const start = nameEnd + file.readUInt16LE(at + 28);
    const end = start + file.readUInt32LE(at + 18);
    found.push({
      name: file.toString('utf8', at + 30, nameEnd),
      method: file.readUInt16LE(at + 8),
      data: file.subarray(start, end),
    });
    at = end;
  }
  return found;
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
const types = (overrides: string) =>
  `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>${overrides}</Types>`;

/**
 * A DOCX of about `bytes`: a document.xml with fields, and photos. By default the worst case: text
 * of half `bytes` characters (a 60 MiB file holds some 8,000 pages of Chinese prose). `report` is
 * what an official sends: about 600,000 characters (a 200-page report). Photos are stored, as
 * Office and LibreOffice write them: 231 of the 239 pictures over 20 KB in Apache POI's and the
 * Open XML SDK's test files are.
 */
export function largeDocx(bytes: number, shape: 'text' | 'report' = 'text'): Promise<Buffer> {
  const photos = Math.max(1, Math.round(bytes / (2 * MiB)));
  const textChars = shape === 'report' ? 600_000 : bytes / 2;
  // Varied text (as real prose is), so the part compresses like one: about 4:1, not 200:1.
  const words =
    '集群主导产业汽车零部件营业收入亿元规上企业专精特新省级国家级研发平台发明专利数字化绿色工厂出口配套率'.split('');
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const paragraphs: string[] = [];
  for (let size = 0; size < textChars;) {
    const text = Array.from({ length: 60 }, () => words[next() % words.length]).join('') + String(next());
    // A field (a page number) every 50 paragraphs, as headers, footers and tables of contents have.
    const field =
      paragraphs.length % 50 === 0
        ? '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        : '';
    const paragraph = `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r>${field}</w:p>`;
    paragraphs.push(paragraph);
    size += paragraph.length;
  }
  const body = paragraphs.join('');
  const rels = Array.from(
    { length: photos },
    (_, i) => `<Relationship Id="rIdImg${i}" Type="${REL}/image" Target="media/image${i}.jpeg"/>`,
  ).join('');
  return zip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        types(
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
        ),
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        `${XML}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
      ),
    },
    {
      name: 'word/document.xml',
      data: Buffer.from(
        `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
      ),
    },
    {
      name: 'word/_rels/document.xml.rels',
      data: Buffer.from(`${XML}<Relationships xmlns="${PKG}">${rels}</Relationships>`),
    },
    ...Array.from({ length: photos }, (_, i) => ({
      name: `word/media/image${i}.jpeg`,
      data: photo(2 * MiB),
      compress: false,
    })),
  ]);
}

/** An XLSX of about `bytes` compressed: one large sheet of numbers and formulas. */
export function largeXlsx(bytes: number): Promise<Buffer> {
  const rows: string[] = [];
  // ~12:1 compression on sheet XML: write about twelve times the wanted size.
  const rowCount = Math.round((bytes * 12) / 160);
  for (let r = 1; r <= rowCount; r++) {
    rows.push(
      `<row r="${r}"><c r="A${r}"><v>${(r * 7919) % 100003}</v></c><c r="B${r}"><v>${(r * 1.37).toFixed(2)}</v></c><c r="C${r}"><f>A${r}*B${r}</f><v>0</v></c></row>`,
    );
  }
  return zip([
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        types(
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
        ),
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        `${XML}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets><sheet name="汇总表" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `${XML}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: Buffer.from(
        `${XML}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`,
      ),
    },
  ]);
}

/** An OFD of about `bytes`: many pages of text objects, and page images. */
export function largeOfd(bytes: number): Promise<Buffer> {
  const pages = Math.max(1, Math.round(bytes / (512 * 1024)));
  const ns = 'xmlns:ofd="http://www.ofdspec.org/2016"';
  const text =
    '<ofd:TextObject ID="4" Boundary="20 20 170 10" Font="2" Size="5"><ofd:TextCode X="0" Y="5">中小企业特色产业集群认定证书</ofd:TextCode></ofd:TextObject>'.repeat(
      200,
    );
  const entries = [
    {
      name: 'OFD.xml',
      data: Buffer.from(
        `${XML}<ofd:OFD ${ns} Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
      ),
    },
    {
      name: 'Doc_0/Document.xml',
      data: Buffer.from(
        `${XML}<ofd:Document ${ns}><ofd:Pages>${Array.from({ length: pages }, (_, i) => `<ofd:Page ID="${i + 10}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('')}</ofd:Pages></ofd:Document>`,
      ),
    },
  ];
  for (let i = 0; i < pages; i++) {
    entries.push({
      name: `Doc_0/Pages/Page_${i}/Content.xml`,
      data: Buffer.from(
        `${XML}<ofd:Page ${ns}><ofd:Content><ofd:Layer ID="3">${text}</ofd:Layer></ofd:Content></ofd:Page>`,
      ),
    });
    entries.push({ name: `Doc_0/Res/image_${i}.jpg`, data: photo(480 * 1024) });
  }
  return zip(entries.map((e) => ({ ...e, compress: !e.name.endsWith('.jpg') })));
}
