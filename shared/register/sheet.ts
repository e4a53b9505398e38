/**
 * An imported list's file as rows of text cells, whether CSV or XLSX, numbered as the operator
 * sees them in a spreadsheet (row 1 is the first line), so a report's row numbers can be looked up.
 */
import ExcelJS from 'exceljs';
import { ValidationError } from '../platform/errors.ts';

import { LIST_FORMATS, type ListFormat } from './api-schemas.ts';

export interface SheetRow {
  /** 1-based, as a spreadsheet numbers it (CSV: the record's first line). */
  row: number;
  cells: string[];
}

/** The file cannot be read as a list: the detail says why and what to do, in both languages (the page shows its own). */
const refuse = (code: string, zh: string, en: string) =>
  new ValidationError(`The list cannot be read: ${en}`, [{ field: 'content', code, message: `${zh} / ${en}` }]);

/** UTF-8 (with or without BOM), else GB 18030: Excel in Chinese saves CSV in GBK. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/u, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180: fields separated by commas, quoted with "", a quote doubled inside; CRLF or LF. */
export function parseCsv(text: string): SheetRow[] {
  const rows: SheetRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowStart = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ row: rowStart, cells });
      cells = [];
      cell = '';
      line++;
      rowStart = line;
    } else cell += ch;
  }
  if (quoted)
    throw refuse(
      'unterminated_quote',
      `第${rowStart}行有未闭合的引号，请检查该行的双引号`,
      `a quoted field opened on line ${rowStart} is never closed: check that line's quotes`,
    );
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ row: rowStart, cells });
  }
  return rows;
}

/** The first worksheet's rows, each cell as the text Excel shows (formulas: their cached result). */
export async function readXlsx(bytes: Uint8Array): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw refuse(
      'unreadable_xlsx',
      '文件不是XLSX工作簿，请在Excel或WPS中另存为.xlsx后重新导入',
      'the file is not an XLSX workbook: save it as .xlsx and import it again',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) {
    throw refuse(
      'empty_workbook',
      '工作簿中没有工作表，请把名单放在第一个工作表中',
      'the workbook has no worksheet: put the list on its first sheet',
    );
  }
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text);
    rows.push({ row: row.number, cells });
  });
  return rows;
}

/** The rows of a list file of either format. */
export async function readSheet(format: ListFormat, bytes: Uint8Array): Promise<SheetRow[]> {
  return format === 'xlsx' ? readXlsx(bytes) : parseCsv(decodeText(bytes));
}

/** The format a file name implies, if it names one. */
export function formatOfFileName(fileName: string): ListFormat | undefined {
  const extension = /\.([a-z]+)$/iu.exec(fileName)?.[1]?.toLowerCase();
  return LIST_FORMATS.find((format) => format === extension);
}
