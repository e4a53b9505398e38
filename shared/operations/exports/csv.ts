/**
 * A summary table as CSV: UTF-8 with a byte-order mark (so Excel opens Chinese text as UTF-8),
 * RFC 4180 (CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled), the
 * same two header rows as the XLSX (Chinese, then English) and no title row.
 *
 * Formula injection: a text field that starts with =, +, -, @ (or a tab or CR, which Excel skips
 * before looking) gets a leading ' so a spreadsheet shows it instead of evaluating it. Text is what
 * applicants and reviewers typed (names, reasons, phone numbers). Numeric columns are written by
 * this exporter from numbers; a leading "-" there is a minus sign and stays one.
 */
import type { CellValue, SummaryColumn, SummaryTable } from './table.ts';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';
export const BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes ' to text a spreadsheet would take for a formula. */
export function defuse(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function quote(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return String(Math.round(value * factor) / factor);
};

/** The field as the CSV shows it (before quoting). */
export function csvField(column: SummaryColumn, value: CellValue): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return defuse(value);
  switch (column.format) {
    case 'integer':
      return String(Math.round(value));
    case 'decimal':
      return round(value, 2);
    case 'percent':
      // As Excel reads it back: "74.5%" is the number 0.745.
      return `${round(value * 100, 1)}%`;
    default:
      return String(value);
  }
}

export function summaryCsv(table: SummaryTable): string {
  const lines = [
    table.columns.map((column) => defuse(column.zh)),
    table.columns.map((column) => defuse(column.en)),
    ...table.rows.map((row) => table.columns.map((column) => csvField(column, row[column.key]))),
  ];
  return `${BOM}${lines.map((fields) => fields.map(quote).join(',')).join('\r\n')}\r\n`;
}
