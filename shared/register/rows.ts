/**
 * A list's rows read against its layout (./list-layout.ts): the header row found, each data row's
 * cells validated with zod, and every refusal named precisely (row number, column, code, message).
 */
import * as z from 'zod';
import {
  columnTitle,
  fieldOfHeader,
  HEADER_SEARCH_ROWS,
  INDUSTRY_FIELDS,
  INDUSTRY_SEPARATOR,
  LIST_LIMITS,
  type ListField,
  REQUIRED_FIELDS,
} from './list-layout.ts';
import type { SheetRow } from './sheet.ts';
import type { RowRefusal } from './api-schemas.ts';

/** What a valid row says, before it is placed in the jurisdiction tree. */
export interface ListRow {
  row: number;
  province: string;
  clusterName: string;
  leadingIndustry: string;
  subSector: string;
  county?: string;
  countyCode?: string;
}

const text = (label: string, max: number) =>
  z
    .string()
    .transform((value) => value.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .min(1, `${label}为空 / ${label} is empty`)
        .max(max, `${label}超过${max}个字 / ${label} is longer than ${max} characters`),
    );

const RowCellsSchema = z.object({
  province: text('省份', 20),
  clusterName: text('集群名称', LIST_LIMITS.clusterName),
  leadingIndustry: text('主导产业', LIST_LIMITS.leadingIndustry),
  subSector: z
    .string()
    .transform((value) => value.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .max(
          LIST_LIMITS.subSector,
          `细分领域超过${LIST_LIMITS.subSector}个字 / 细分领域 is longer than ${LIST_LIMITS.subSector} characters`,
        ),
    ),
  county: z
    .string()
    .transform((value) => value.trim())
    .optional(),
  countyCode: z
    .string()
    .transform((value) => value.trim())
    .pipe(
      z.union([
        z.literal(''),
        z.string().regex(/^\d{6}$/u, '区县代码应为6位数字（GB/T 2260） / 区县代码 must be six digits (GB/T 2260)'),
      ]),
    )
    .optional(),
});

/** Which report column a schema field is read from (the industry may come from the combined column). */
type CellField = keyof z.input<typeof RowCellsSchema>;

export interface ParsedList {
  /** The header row's number, once found. */
  headerRow?: number;
  rows: ListRow[];
  refusals: RowRefusal[];
}

const isBlank = (cells: readonly string[]) => cells.every((cell) => cell.trim() === '');

/** The header row: the first of the opening rows that names every required column. */
function findHeader(rows: readonly SheetRow[]) {
  for (const candidate of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const columns = new Map<ListField, number>();
    candidate.cells.forEach((cell, at) => {
      const field = fieldOfHeader(cell);
      if (field && !columns.has(field)) columns.set(field, at);
    });
    if (REQUIRED_FIELDS.every((field) => columns.has(field))) return { header: candidate, columns };
  }
  return undefined;
}

/** Splits 主导产业/细分领域 into its halves ("医药/化学药品制剂"). */
function splitIndustry(value: string): { leadingIndustry: string; subSector: string } {
  const [leading = '', ...rest] = value.split(INDUSTRY_SEPARATOR);
  return { leadingIndustry: leading, subSector: rest.join('/') };
}

/** Reads a list's rows: the valid ones, and a refusal for each problem of the others. */
export function parseListRows(sheet: readonly SheetRow[]): ParsedList {
  const found = findHeader(sheet);
  if (!found) {
    return {
      rows: [],
      refusals: [
        {
          row: sheet[0]?.row ?? 1,
          column: REQUIRED_FIELDS.map(columnTitle).join('、'),
          code: 'missing_header',
          message: `前${HEADER_SEARCH_ROWS}行中没有含${REQUIRED_FIELDS.map(columnTitle).join('、')}的表头 / no header row naming ${REQUIRED_FIELDS.map(columnTitle).join(' and ')} in the first ${HEADER_SEARCH_ROWS} rows`,
        },
      ],
    };
  }
  const { header, columns } = found;
  if (!INDUSTRY_FIELDS.some((field) => columns.has(field))) {
    return {
      headerRow: header.row,
      rows: [],
      refusals: [
        {
          row: header.row,
          column: INDUSTRY_FIELDS.map(columnTitle).join(' / '),
          code: 'missing_column',
          message: `名单既无${columnTitle('leadingIndustry')}列，也无${columnTitle('industryAndSector')}列 / the list has neither a ${columnTitle('leadingIndustry')} nor a ${columnTitle('industryAndSector')} column`,
        },
      ],
    };
  }
  const cellOf = (row: SheetRow, field: ListField) => {
    const at = columns.get(field);
    return at === undefined ? undefined : (row.cells[at] ?? '');
  };
  const rows: ListRow[] = [];
  const refusals: RowRefusal[] = [];
  for (const row of sheet.filter((r) => r.row > header.row)) {
    if (isBlank(row.cells)) continue;
    const combined = cellOf(row, 'industryAndSector');
    const industry = combined === undefined ? undefined : splitIndustry(combined);
    const leadingIndustry = cellOf(row, 'leadingIndustry') || industry?.leadingIndustry || '';
    const subSector = cellOf(row, 'subSector') || industry?.subSector || '';
    const leadingFrom: ListField = columns.has('leadingIndustry') ? 'leadingIndustry' : 'industryAndSector';
    const source: Record<CellField, ListField> = {
      province: 'province',
      clusterName: 'clusterName',
      leadingIndustry: leadingFrom,
      subSector: columns.has('subSector') ? 'subSector' : 'industryAndSector',
      county: 'county',
      countyCode: 'countyCode',
    };
    const parsed = RowCellsSchema.safeParse({
      province: cellOf(row, 'province') ?? '',
      clusterName: cellOf(row, 'clusterName') ?? '',
      leadingIndustry,
      subSector,
      county: cellOf(row, 'county'),
      countyCode: cellOf(row, 'countyCode'),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = source[issue.path[0] as CellField];
        refusals.push({
          row: row.row,
          column: columnTitle(field),
          code: issue.code === 'too_small' ? 'required' : issue.code,
          message: issue.message,
        });
      }
      continue;
    }
    const { county, countyCode, ...cells } = parsed.data;
    rows.push({ row: row.row, ...cells, ...(county && { county }), ...(countyCode && { countyCode }) });
  }
  return { headerRow: header.row, rows, refusals };
}
