/**
 * What a summary table is, whatever its kind: columns (Chinese and English headers, width,
 * format), rows of cell values, its title and file name. Built by ./exports.ts, written by
 * ./xlsx.ts and ./csv.ts.
 */

/** How a column's values are typed and shown: numbers stay numbers in XLSX. */
export type ColumnFormat = 'text' | 'integer' | 'decimal' | 'percent' | 'datetime';

export interface SummaryColumn {
  key: string;
  zh: string;
  en: string;
  /** Column width in characters (XLSX). */
  width: number;
  format: ColumnFormat;
  /** Long text that wraps in XLSX. */
  wrap?: boolean;
}

export type CellValue = string | number | undefined;
export type SummaryRow = Readonly<Record<string, CellValue>>;

export interface SummaryTable {
  /** e.g. 2025年中小企业特色产业集群推荐汇总表（吉林省） */
  title: string;
  sheetName: string;
  /** Without extension; Chinese title plus ASCII ids, so the ASCII fallback still tells it apart. */
  fileBaseName: string;
  columns: readonly SummaryColumn[];
  rows: readonly SummaryRow[];
}

/** A column, with the defaults most columns share (text, no wrap). */
export const column = (
  key: string,
  zh: string,
  en: string,
  width: number,
  format: ColumnFormat = 'text',
  wrap = false,
): SummaryColumn => ({ key, zh, en, width, format, ...(wrap && { wrap }) });
