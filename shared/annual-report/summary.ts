/**
 * The province's summary table of a reporting year's annual reports (年度报告汇总表), as XLSX
 * through the summary tables' own writer (shared/operations/exports/xlsx.ts): one row per cluster
 * owing a report, its figures when accepted, and — for a forwarded set — the missing ones listed
 * by name with why (未报送, 退回未重新报送), so MIIT reads what did not come from the table itself.
 */
import { placeName } from '../rules/jurisdictions.ts';
import { column, type SummaryRow, type SummaryTable } from '../operations/exports/table.ts';
import { summaryXlsx, XLSX_CONTENT_TYPE } from '../operations/exports/xlsx.ts';
import type { ProvinceView } from './desk.ts';

const COLUMNS = [
  column('index', '序号', 'No.', 6, 'integer'),
  column('clusterName', '集群名称', 'Cluster', 30, 'text', true),
  column('county', '所在县（市、区）', 'County', 16),
  column('countyCode', '行政区划代码', 'Division code', 12),
  column('standing', '报送情况', 'Standing', 18),
  column('clusterOutput', '集群总产值（万元）', 'Cluster output (10k yuan)', 16, 'decimal'),
  column('smeCount', '中小企业数量', 'SMEs', 12, 'integer'),
  column('employment', '从业人员数', 'Employment', 12, 'integer'),
  column('rdSpending', '研发投入（万元）', 'R&D spending (10k yuan)', 16, 'decimal'),
  column('specialisedSmes', '专精特新中小企业数', 'Specialised SMEs', 14, 'integer'),
  column('littleGiants', '专精特新"小巨人"企业数', 'Little giants', 14, 'integer'),
  column('mainWork', '年度主要工作', 'Main work', 40, 'text', true),
  column('problems', '存在问题及下一步打算', 'Problems and next steps', 40, 'text', true),
  column('fileSha256', '报告文件SHA-256', 'Report file SHA-256', 24),
];

const STANDING_ZH = {
  accepted: '已审核通过',
  filed: '待省级审核',
  returned: '退回未重新报送',
  due: '未报送',
} as const;

/** The table's rows: the forwarded set when there is one (its missing ones named), else the set as it stands. */
export function summaryTable(view: ProvinceView): SummaryTable {
  const province = placeName(view.provinceCode) ?? view.provinceCode;
  const forwarded = view.forwarding;
  const missing = new Map(forwarded?.missing.map((m) => [m.entryId, m.why]) ?? []);
  const rows: SummaryRow[] = view.rows.map((row, i) => {
    const why = missing.get(row.entry.entryId);
    const standing = why === 'not-filed' ? 'due' : why === 'returned' ? 'returned' : row.standing;
    const figures = standing === 'accepted' ? row.report?.figures : undefined;
    return {
      index: i + 1,
      clusterName: row.entry.clusterName,
      county: placeName(row.entry.countyCode) ?? row.entry.countyCode,
      countyCode: row.entry.countyCode,
      standing: STANDING_ZH[standing],
      ...(figures && { ...figures }),
      ...(figures && row.report && { fileSha256: row.report.file.sha256 }),
    };
  });
  const status = forwarded ? `已报送 ${forwarded.forwardedAt}` : '未报送';
  return {
    title: `${view.reportYear}年度中小企业特色产业集群年度报告汇总表（${province}，${status}）`,
    sheetName: '年度报告汇总表',
    fileBaseName: `${view.reportYear}年度报告汇总表-${view.provinceCode}-${view.reportYear}`,
    columns: COLUMNS,
    rows,
  };
}

export async function summaryFile(view: ProvinceView, generatedAt: Date) {
  const table = summaryTable(view);
  return {
    fileName: `${table.fileBaseName}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    body: await summaryXlsx(table, { generatedAt }),
  };
}
