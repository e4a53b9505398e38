/**
 * A summary table as an XLSX workbook (exceljs): one sheet, the title merged across row 1, the
 * Chinese headers in row 2 and the English ones in row 3 (bold, filled, frozen with the first two
 * columns), then one row per application. Numbers stay numbers with a number format; dates are
 * ISO 8601 text. Every cell of the table has a thin border.
 *
 * Cells are typed values, never formulas: text that starts with "=" is stored as text, so the
 * CSV's formula defusing is not needed here (and would alter the value).
 */
import ExcelJS from 'exceljs';
import type { ColumnFormat, SummaryTable } from './table.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Rows above the data: title, Chinese headers, English headers. */
export const TITLE_ROW = 1;
export const HEADER_ROWS = [2, 3] as const;
export const FIRST_DATA_ROW = 4;
/** Columns kept in view while scrolling right: 序号 and 集群名称. */
export const FROZEN_COLUMNS = 2;

const NUMBER_FORMATS: Readonly<Record<ColumnFormat, string | undefined>> = {
  text: '@',
  integer: '0',
  decimal: '0.00',
  percent: '0.0%',
  datetime: '@',
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const THIN = { style: 'thin', color: { argb: 'FF808080' } } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
/** Excel's limit on a cell's text. */
const MAX_CELL_TEXT = 32_767;
/** Characters XML 1.0 cannot carry (a workbook with them does not open). */
const XML_INVALID =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const cellText = (value: string) => value.replace(XML_INVALID, '\uFFFD').slice(0, MAX_CELL_TEXT);

export interface XlsxOptions {
  /** Written into the workbook's properties (created, modified). */
  generatedAt?: Date;
}

export async function summaryXlsx(table: SummaryTable, options: XlsxOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const at = options.generatedAt ?? new Date();
  workbook.creator = 'cluster-recommendation-pipeline';
  workbook.created = at;
  workbook.modified = at;
  workbook.title = table.title;

  const lastHeaderRow = HEADER_ROWS[HEADER_ROWS.length - 1] ?? TITLE_ROW;
  const sheet = workbook.addWorksheet(table.sheetName, {
    views: [
      {
        state: 'frozen',
        xSplit: FROZEN_COLUMNS,
        ySplit: lastHeaderRow,
        topLeftCell: `${columnLetter(FROZEN_COLUMNS + 1)}${FIRST_DATA_ROW}`,
        activeCell: `A${FIRST_DATA_ROW}`,
      },
    ],
    pageSetup: {
      orientation: 'landscape',
      paperSize: 9, // A4
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROWS[0]}:${lastHeaderRow}`,
    },
  });
  const count = table.columns.length;
  table.columns.forEach((column, i) => {
    sheet.getColumn(i + 1).width = column.width;
  });

  // Title, merged across the table.
  const title = sheet.getRow(TITLE_ROW);
  title.getCell(1).value = cellText(table.title);
  title.getCell(1).font = { bold: true, size: 16 };
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 32;
  if (count > 1) sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, count);

  // Two header rows: Chinese, English.
  HEADER_ROWS.forEach((rowNumber, h) => {
    const row = sheet.getRow(rowNumber);
    table.columns.forEach((column, i) => {
      const cell = row.getCell(i + 1);
      cell.value = h === 0 ? column.zh : column.en;
      cell.font = { bold: true, size: h === 0 ? 11 : 9 };
      cell.fill = HEADER_FILL;
      cell.border = BORDER;
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
    row.height = h === 0 ? 30 : 28;
  });

  table.rows.forEach((values, r) => {
    const row = sheet.getRow(FIRST_DATA_ROW + r);
    table.columns.forEach((column, i) => {
      const cell = row.getCell(i + 1);
      const value = values[column.key];
      cell.value = value === undefined ? null : typeof value === 'string' ? cellText(value) : value;
      const numFmt = NUMBER_FORMATS[column.format];
      if (numFmt) cell.numFmt = numFmt;
      cell.border = BORDER;
      cell.alignment = {
        vertical: 'middle',
        horizontal: column.format === 'text' || column.format === 'datetime' ? 'left' : 'right',
        ...(column.wrap && { wrapText: true }),
      };
    });
  });

  if (count > 0) {
    sheet.autoFilter = {
      from: { row: lastHeaderRow, column: 1 },
      to: { row: lastHeaderRow + table.rows.length, column: count },
    };
  }

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let n = index;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
