/**
 * The column layout of the official lists of recognised clusters, as data.
 *
 * Source: the lists MIIT publishes with its yearly notice of recognition (工业和信息化部办公厅
 * 关于公布 20xx 年度中小企业特色产业集群名单的通知, 附件: 20xx 年度中小企业特色产业集群名单) and
 * the provinces' own lists, which follow it: a title line, then a header row 序号 · 省份 · 集群名称
 * · 主导产业 (some lists: 主导产业/细分领域 in one column, or 细分领域 apart). The lists carry no
 * county code; an operator may add a 区县 or 区县代码 column where the name alone does not place
 * the cluster. Level and cohort are the list's (its title), so the import names them.
 *
 * A header cell matches a column when, after NFKC and with spaces removed, it equals one of the
 * column's headers.
 */

export const LIST_FIELDS = [
  'serial',
  'province',
  'clusterName',
  'leadingIndustry',
  'subSector',
  'industryAndSector',
  'county',
  'countyCode',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export interface ListColumn {
  field: ListField;
  /** The header as the published lists write it; the first is the one reports name. */
  headers: readonly string[];
}

export const LIST_COLUMNS: readonly ListColumn[] = [
  { field: 'serial', headers: ['序号', '编号'] },
  { field: 'province', headers: ['省份', '省（区、市）', '省(区、市)', '地区', '所在省份', '省别'] },
  { field: 'clusterName', headers: ['集群名称', '产业集群名称', '特色产业集群名称'] },
  { field: 'leadingIndustry', headers: ['主导产业', '主导产业名称'] },
  { field: 'subSector', headers: ['细分领域', '细分行业', '主导产业细分领域'] },
  { field: 'industryAndSector', headers: ['主导产业/细分领域', '主导产业／细分领域', '主导产业（细分领域）'] },
  { field: 'county', headers: ['区县', '所在区县', '所在县（市、区）', '所在县(市、区)', '县（市、区）'] },
  { field: 'countyCode', headers: ['区县代码', '行政区划代码', '区划代码'] },
];

/** Columns a list must have; the industry comes from 主导产业 or 主导产业/细分领域. */
export const REQUIRED_FIELDS: readonly ListField[] = ['province', 'clusterName'];
export const INDUSTRY_FIELDS: readonly ListField[] = ['leadingIndustry', 'industryAndSector'];

/** How 主导产业/细分领域 separates its two halves. */
export const INDUSTRY_SEPARATOR = /[/／|｜]/u;

/** The header row is looked for among the first rows (the lists open with a title line or two). */
export const HEADER_SEARCH_ROWS = 10;

/** Bounds on what a row may hold (the register's own limits). */
export const LIST_LIMITS = { clusterName: 100, leadingIndustry: 50, subSector: 100, rows: 5_000 } as const;

/** The name a report gives a column: its first header. */
export const columnTitle = (field: ListField): string =>
  LIST_COLUMNS.find((column) => column.field === field)?.headers[0] ?? field;

const normaliseHeader = (text: string) => text.normalize('NFKC').replace(/\s+/gu, '');
const HEADER_INDEX: ReadonlyMap<string, ListField> = new Map(
  LIST_COLUMNS.flatMap((column) => column.headers.map((header) => [normaliseHeader(header), column.field] as const)),
);

/** The field a header cell names, if any. */
export const fieldOfHeader = (cell: string): ListField | undefined => HEADER_INDEX.get(normaliseHeader(cell));
