/** The register's words, Chinese and English (the pages' own; the shared vocabulary is platform/words.ts). */
import type { Bilingual } from '../schemas/common.ts';
import type { Due } from './due.ts';
import type { RegisterLevel, RegisterState } from './entry.ts';

export const REGISTER_WORDS = {
  title: { zh: '认定集群名录', en: 'Register of recognised clusters' },
  cohortTitle: { zh: '复核批次', en: 'Re-review cohort' },
  mine: { zh: '我的认定集群', en: 'My recognised clusters' },
  askRevocation: { zh: '申请取消资格', en: 'Ask to cancel' },
  noneMine: { zh: '本县（市、区）暂无认定的特色产业集群', en: 'No recognised cluster in this county' },
  none: { zh: '没有符合条件的认定集群', en: 'No recognised cluster matches' },
  filter: { zh: '筛选', en: 'Filter' },
  exportCsv: { zh: '导出 CSV', en: 'Export CSV' },
  all: { zh: '全部', en: 'All' },
  province: { zh: '省份', en: 'Province' },
  cohort: { zh: '认定年度', en: 'Cohort' },
  level: { zh: '级别', en: 'Level' },
  state: { zh: '状态', en: 'State' },
  cluster: { zh: '集群名称', en: 'Cluster' },
  place: { zh: '所在地', en: 'Where' },
  industry: { zh: '主导产业/细分领域', en: 'Leading industry / sub-sector' },
  validity: { zh: '有效期', en: 'Validity' },
  due: { zh: '待办事项', en: 'What is due' },
  nothingDue: { zh: '暂无', en: 'Nothing' },
  history: { zh: '变更记录', en: 'History' },
  total: { zh: '合计', en: 'Total' },
  byProvince: { zh: '各省份', en: 'By province' },
  byCohort: { zh: '各年度', en: 'By cohort' },
  byState: { zh: '各状态', en: 'By state' },
  import: { zh: '导入认定名单', en: 'Import a list' },
  importNote: {
    zh: '按公布名单的格式（序号、省份、集群名称、主导产业、细分领域）上传 XLSX 或 CSV 文件；重复导入不会重复登记。',
    en: 'Upload the published list as XLSX or CSV (序号, 省份, 集群名称, 主导产业, 细分领域); importing it again adds nothing twice.',
  },
  file: { zh: '名单文件', en: 'List file' },
  validFrom: { zh: '名单公布日期', en: 'Date of the list' },
  dryRun: { zh: '仅检查，不导入', en: 'Check only, import nothing' },
  send: { zh: '导入', en: 'Import' },
  sending: { zh: '正在导入…', en: 'Importing…' },
  failed: { zh: '导入失败', en: 'Import failed' },
  row: { zh: '行号', en: 'Row' },
  column: { zh: '列', en: 'Column' },
  reason: { zh: '原因', en: 'Reason' },
  from: { zh: '至', en: 'to' },
  lapsed: {
    zh: '（有效期已届满，待复核结果或运维决定）',
    en: '(validity ended: awaiting the re-review or an operator’s decision)',
  },
} as const satisfies Record<string, Bilingual>;

export const LEVEL_WORDS: Readonly<Record<RegisterLevel, Bilingual>> = {
  national: { zh: '国家级', en: 'National' },
  provincial: { zh: '省级', en: 'Provincial' },
};

export const STATE_WORDS: Readonly<Record<RegisterState, Bilingual>> = {
  valid: { zh: '有效', en: 'Valid' },
  'under-re-review': { zh: '复核中', en: 'Under re-review' },
  retained: { zh: '复核通过', en: 'Retained' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  expired: { zh: '已到期', en: 'Expired' },
};

export function dueWords(due: Due): Bilingual {
  return due.kind === 'annual-report'
    ? {
        zh: `${due.reportYear}年度发展情况报告：省级于${due.provinceDeadline.replace(/^(\d{4})-0?(\d+)-0?(\d+)$/u, '$1年$2月$3日')}前报送工业和信息化部`,
        en: `Report on ${due.reportYear}: the province sends it to MIIT by ${due.provinceDeadline}`,
      }
    : { zh: `${due.year}年复核（须参与）`, en: `Re-review in ${due.year} (must take part)` };
}
