/**
 * A summary table's columns: the lead columns every table has (the cluster and where it is), the
 * columns of its kind (./recommendation.ts, ./rereview.ts, ./typical-case.ts), then the tail
 * (rank, score, decision, status, contact). Headers: Chinese in the first header row, English in
 * the second, in XLSX and CSV alike.
 */
import type { Campaign } from '../../rules/campaign.ts';
import type { Track } from '../../schemas/common.ts';
import { figureColumns } from './recommendation.ts';
import { provincialAdditions, provincialColumns } from './provincial.ts';
import { rereviewColumns } from './rereview.ts';
import { column, type SummaryColumn } from './table.ts';
import { typicalCaseColumns } from './typical-case.ts';

const LEAD_COLUMNS: readonly SummaryColumn[] = [
  column('no', '序号', 'No.', 6, 'integer'),
  column('clusterName', '集群名称', 'Cluster', 30, 'text', true),
  column('province', '所在地（省级）', 'Province (provincial level)', 14),
  column('city', '所在地（市）', 'City', 16),
  column('county', '所在地（县）', 'County (co-located counties after 、)', 18, 'text', true),
  column('leadingIndustry', '主导产业', 'Leading industry', 16, 'text', true),
  column('subSector', '细分领域', 'Sub-sector', 16, 'text', true),
];

/** The key figures per track: the form's figures, or for typical cases their aspects. */
function trackColumns(campaign: Campaign, track: Track): SummaryColumn[] {
  switch (track) {
    case 'recommendation':
      return figureColumns(campaign);
    case 'rereview':
      return rereviewColumns(campaign);
    case 'typical-case':
      return typicalCaseColumns();
  }
}

const TAIL_COLUMNS: readonly SummaryColumn[] = [
  column('rank', '推荐排序', "Rank (province's expert review)", 10, 'integer'),
  column('score', '专家评审得分', 'Expert score (weighted)', 12, 'decimal'),
  column('decision', '决定', "Decision (this level's)", 16, 'text', true),
  column('status', '当前状态', 'Current status', 20, 'text', true),
  column('reason', '原因', 'Reason', 40, 'text', true),
  column('contact', '联系人', 'Contact', 10),
  column('phone', '联系电话', 'Phone', 16),
  column('submittedAt', '提交时间', 'Submitted (ISO 8601, Beijing time)', 26, 'datetime'),
];

/**
 * The "also national" statement where a province of the campaign asks for it: its cities' (Jilin:
 * provincial and national in one pass; 梅河口 and 长白山 stated at the province), or the province's
 * own choice from its provincial list (Shanxi). 是 or 否, blank for the other provinces' rows.
 */
export const ALSO_NATIONAL_COLUMN = column(
  'alsoNational',
  '同时推荐国家级',
  "Also recommended for national status (the city's or the province's statement)",
  14,
);

const asksAlsoNational = (campaign: Campaign, track: Track) =>
  track === 'recommendation' &&
  campaign.overlays.some((overlay) => overlay.cityStatesAlsoNational || overlay.provincialRecognition !== undefined);

/**
 * A table's columns; with `provincialCode` (a province's or its city's table), the fields that
 * province adds to the form follow the track's own.
 */
export function summaryColumns(campaign: Campaign, track: Track, provincialCode?: string): SummaryColumn[] {
  return [
    ...LEAD_COLUMNS,
    ...trackColumns(campaign, track),
    ...provincialColumns(provincialAdditions(campaign, track, provincialCode)),
    ...(asksAlsoNational(campaign, track) ? [ALSO_NATIONAL_COLUMN] : []),
    ...TAIL_COLUMNS,
  ];
}
