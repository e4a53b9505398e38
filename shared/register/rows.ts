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
import { rowRefusal, type Said } from './refusal.ts';

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

// The cells' checks carry no message of their own: cellProblem says each one, in each language.
const text = (max: number) =>
  z
    .string()
    .transform((value) => value.normalize('NFKC').trim())
    .pipe(z.string().min(1).max(max));

const RowCellsSchema = z.object({
  province: text(20),
  clusterName: text(LIST_LIMITS.clusterName),
  leadingIndustry: text(LIST_LIMITS.leadingIndustry),
  subSector: z
    .string()
    .transform((value) => value.normalize('NFKC').trim())
    .pipe(z.string().max(LIST_LIMITS.subSector)),
  county: z
    .string()
    .transform((value) => value.trim())
    .optional(),
  countyCode: z
    .string()
    .transform((value) => value.trim())
    .pipe(z.union([z.literal(''), z.string().regex(/^\d{6}$/u)]))
    .optional(),
});

/** Which report column a schema field is read from (the industry may come from the combined column). */
type CellField = keyof z.input<typeof RowCellsSchema>;

/** What is wrong with a cell and what to write there, in each language, from zod's issue on it. */
function cellProblem(field: ListField, issue: z.core.$ZodIssue): Said {
  const label = columnTitle(field);
  if (issue.code === 'too_small') return { zh: `${label}为空，请填写${label}`, en: `${label} is empty: fill it in` };
  if (issue.code === 'too_big') {
    const max = String(issue.maximum);
    return {
      zh: `${label}超过${max}个字，请删减到${max}个字以内`,
      en: `${label} is longer than ${max} characters: shorten it to ${max} at most`,
    };
  }
  // The only other check is the county code's format.
  return {
    zh: `${label}应为6位数字（GB/T 2260），如222403，请更正或留空`,
    en: `${label} must be six digits (GB/T 2260), e.g. 222403: correct it or leave it empty`,
  };
}

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
        rowRefusal(
          { row: sheet[0]?.row ?? 1, column: REQUIRED_FIELDS.map(columnTitle).join('、'), code: 'missing_header' },
          {
            zh: `前${HEADER_SEARCH_ROWS}行中没有含${REQUIRED_FIELDS.map(columnTitle).join('、')}的表头，请在名单数据上方加一行表头，写明这些列名`,
            en: `no header row naming ${REQUIRED_FIELDS.map(columnTitle).join(' and ')} in the first ${HEADER_SEARCH_ROWS} rows: add a header row above the data naming these columns`,
          },
        ),
      ],
    };
  }
  const { header, columns } = found;
  if (!INDUSTRY_FIELDS.some((field) => columns.has(field))) {
    return {
      headerRow: header.row,
      rows: [],
      refusals: [
        rowRefusal(
          { row: header.row, column: INDUSTRY_FIELDS.map(columnTitle).join(' / '), code: 'missing_column' },
          {
            zh: `名单既无${columnTitle('leadingIndustry')}列，也无${columnTitle('industryAndSector')}列，请在表头中增加${columnTitle('leadingIndustry')}列`,
            en: `the list has neither a ${columnTitle('leadingIndustry')} nor a ${columnTitle('industryAndSector')} column: add a ${columnTitle('leadingIndustry')} column to the header`,
          },
        ),
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
        const code = issue.code === 'too_small' ? 'required' : issue.code;
        refusals.push(rowRefusal({ row: row.row, column: columnTitle(field), code }, cellProblem(field, issue)));
      }
      continue;
    }
    const { county, countyCode, ...cells } = parsed.data;
    rows.push({ row: row.row, ...cells, ...(county && { county }), ...(countyCode && { countyCode }) });
  }
  return { headerRow: header.row, rows, refusals };
}
