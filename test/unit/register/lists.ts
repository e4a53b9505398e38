import ExcelJS from 'exceljs';
import {
  childrenOf,
  findJurisdiction,
  type Jurisdiction,
  provincialJurisdictions,
} from '../../../shared/rules/jurisdictions.ts';
import { administrativeChain } from '../../../shared/register/entry.ts';

/**
 * Official lists as the tests import them: the published layout (a title line, then 序号 · 省份 ·
 * 集群名称 · 主导产业 · 细分领域, here with a 区县代码 column left empty but where a row gives one).
 * The 300-row list names 300 different counties across every province, each cluster by its city
 * and county ("南京市江宁区…"), and breaks 5 rows in different ways.
 */
export const TITLE = '2024年度中小企业特色产业集群名单';
export const HEADER = ['序号', '省份', '集群名称', '主导产业', '细分领域', '区县代码'];

const INDUSTRIES = [
  ['医药', '化学药品制剂'],
  ['智能配电设备', '输配电'],
  ['医疗器械', '体外诊断'],
  ['纺织服装', '针织'],
  ['新材料', '石墨烯'],
] as const;

/** Every county-level division that can hold a cluster, province by province, in code order. */
function applicants(): Jurisdiction[] {
  const found: Jurisdiction[] = [];
  for (const root of provincialJurisdictions().filter((j) => j.parentCode === undefined)) {
    const stack = [root];
    while (stack.length > 0) {
      const next = stack.shift() as Jurisdiction;
      if (next.applicant) found.push(next);
      stack.push(...childrenOf(next.code));
    }
  }
  return found;
}

/** The county's name with its parents below the province: "南京市江宁区". */
export const placedName = (code: string) =>
  administrativeChain(code)
    .slice(0, -1)
    .map((j) => j.name)
    .reverse()
    .join('');

export interface GeneratedList {
  /** Every row, title and header included, as text cells. */
  rows: string[][];
  /** The valid rows' counties, in order. */
  counties: string[];
}

/** 300 data rows (spreadsheet rows 3–302): rows 3 + the indexes in BROKEN are broken. */
export const BROKEN_AT = {
  emptyIndustry: 17,
  unknownProvince: 60,
  noCounty: 121,
  badCode: 200,
  duplicate: 250,
} as const;

export function generatedList(size = 300): GeneratedList {
  const all = applicants();
  const step = Math.floor(all.length / size);
  const rows: string[][] = [[TITLE], HEADER];
  const counties: string[] = [];
  for (let i = 0; i < size; i++) {
    const county = all[i * step] as Jurisdiction;
    const province = administrativeChain(county.code).at(-1) as Jurisdiction;
    const [industry, sector] = INDUSTRIES[i % INDUSTRIES.length] as readonly [string, string];
    const row = [String(i + 1), province.name, `${placedName(county.code)}${industry}产业集群`, industry, sector, ''];
    if (i === BROKEN_AT.emptyIndustry) row[3] = '';
    else if (i === BROKEN_AT.unknownProvince) row[1] = '东海省';
    else if (i === BROKEN_AT.noCounty) row[2] = `${industry}产业集群`;
    else if (i === BROKEN_AT.badCode) row[5] = '22040';
    else if (i === BROKEN_AT.duplicate) row.splice(1, 5, ...(rows[2 + 3]?.slice(1) ?? []));
    else counties.push(county.code);
    rows.push(row);
  }
  return { rows, counties };
}

/** The spreadsheet row of a data row's index. */
export const rowOf = (index: number) => index + 3;

export function toCsv(rows: readonly string[][]): string {
  const quote = (cell: string) => (/[",\n]/u.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return `${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}

export async function toXlsx(rows: readonly string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const nameOf = (code: string) => findJurisdiction(code)?.name ?? code;
