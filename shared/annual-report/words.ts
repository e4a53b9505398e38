/** The annual-report pages' own words (Chinese first, English with ?lang=en). */
import type { Bilingual } from '../schemas/common.ts';
import type { DutyStanding, MissingWhy } from './forwarding.ts';
import type { AnnualFigures } from './report.ts';

export const ANNUAL_WORDS = {
  title: { zh: '集群年度报告', en: 'Annual reports of recognised clusters' },
  countyIntro: {
    zh: '本县（市、区）认定集群须报送上一年度的年度报告：填写数据并上传报告文件（PDF、OFD或Word），由省级审核后报送工业和信息化部。',
    en: 'Each recognised cluster of the county files its report on the previous year: the figures and the report file (PDF, OFD or Word). The province reviews it and forwards the set to MIIT.',
  },
  provinceIntro: {
    zh: '审核本省集群报送的年度报告（通过或退回并说明理由），并在截止时间前一次性报送工业和信息化部，附汇总表。未报送或退回未重新报送的，报送时逐一列明。',
    en: "Review each report of the province's clusters (accept, or return with a reason), then forward the set to MIIT once, before the deadline, with the summary table. Reports not filed, or returned and not re-filed, are listed as missing.",
  },
  miitIntro: {
    zh: '各省年度报告报送情况：是否已报送、报送时间、报告数量及缺报情况。',
    en: 'Which provinces have forwarded their annual reports, when, how many, and what is missing.',
  },
  reportYear: { zh: '报告年度', en: 'Reporting year' },
  deadline: { zh: '省级报送截止', en: 'Province deadline' },
  closed: { zh: '已截止，逾期不予受理', en: 'Closed: late reports are not accepted' },
  forwarded: { zh: '省级已报送工业和信息化部', en: 'The province has forwarded its set to MIIT' },
  noneOwed: { zh: '本年度没有需要报送年度报告的集群。', en: 'No cluster owes a report for this year.' },
  file: { zh: '报告文件', en: 'Report file' },
  figures: { zh: '年度数据', en: 'Figures' },
  submit: { zh: '报送年度报告', en: 'File the report' },
  refile: { zh: '重新报送', en: 'File again' },
  returnedBecause: { zh: '退回理由', en: 'Returned because' },
  accept: { zh: '审核通过', en: 'Accept' },
  return: { zh: '退回', en: 'Return' },
  reason: { zh: '理由', en: 'Reason' },
  forward: { zh: '报送工业和信息化部', en: 'Forward to MIIT' },
  /** Forwarding is once and for good: with reports missing, the person says they mean it. */
  confirmMissing: {
    zh: '确认将以上缺报集群逐一列明后一并报送；报送后本年度不能再补报或更改',
    en: 'Forward with the missing reports listed one by one; once forwarded, nothing can be added or changed this year',
  },
  summary: { zh: '下载汇总表（XLSX）', en: 'Summary table (XLSX)' },
  missing: { zh: '缺报', en: 'Missing' },
  unreviewed: { zh: '尚有报告待审核，审核后方可报送', en: 'Some reports still wait for your decision' },
  province: { zh: '省份', en: 'Province' },
  county: { zh: '所在县（市、区）', en: 'County' },
  standing: { zh: '报送情况', en: 'Standing' },
  decide: { zh: '审核', en: 'Decision' },
  owed: { zh: '应报', en: 'Owed' },
  received: { zh: '已报', en: 'Forwarded' },
  forwardedAt: { zh: '报送时间', en: 'Forwarded at' },
  notForwarded: { zh: '未报送', en: 'Not forwarded' },
  uploadFirst: {
    zh: '请先上传报告文件，校验通过后再报送。',
    en: 'Upload the report file first; file once it is checked VALID.',
  },
  // Which upload the report carries (the latest VALID one: fileForFiling).
  whichFile: {
    zh: '报送时采用最新一份校验通过的文件；此前上传的文件不随报告报送。',
    en: 'Filing takes the latest file checked VALID; files uploaded before it are not filed.',
  },
  uploadedAt: { zh: '上传于', en: 'uploaded' },
  fileFiled: { zh: '已随报告报送', en: 'Filed with the report' },
  fileTakenOnFiling: { zh: '报送时采用此文件', en: 'Filing takes this file' },
  fileTakenOnRefiling: { zh: '重新报送时改用此文件', en: 'Filing again takes this file instead' },
  fileSuperseded: { zh: '已被较新的文件取代，不会报送', en: 'Superseded by a newer file: not filed' },
  fileNotFiled: { zh: '未随报告报送', en: 'Not filed' },
  // Removing an upload no report carries (./removal.ts).
  remove: { zh: '删除', en: 'Remove' },
  removeConfirm: { zh: '确认删除此文件（删除后不能恢复）', en: 'Remove this file for good' },
  removeRefused: { zh: '未能删除：', en: 'Not removed:' },
  assumption: {
    zh: '注：所持通知未列明年度报告表的具体栏目，以下栏目为本系统的设定。',
    en: 'Note: the notices we hold do not give the official form’s fields; these are our assumption.',
  },
} as const satisfies Record<string, Bilingual>;

export const STANDING_WORDS: Readonly<Record<DutyStanding, Bilingual>> = {
  due: { zh: '待报送', en: 'Due' },
  filed: { zh: '待省级审核', en: 'Filed, awaiting the province' },
  accepted: { zh: '审核通过', en: 'Accepted' },
  returned: { zh: '已退回', en: 'Returned' },
};

export const MISSING_WORDS: Readonly<Record<MissingWhy, Bilingual>> = {
  'not-filed': { zh: '未报送', en: 'not filed' },
  returned: { zh: '退回未重新报送', en: 'returned, not re-filed' },
};

export const FIGURE_WORDS: Readonly<Record<keyof AnnualFigures, Bilingual>> = {
  clusterOutput: { zh: '集群总产值（万元）', en: 'Cluster output (10k yuan)' },
  smeCount: { zh: '中小企业数量', en: 'Number of SMEs' },
  employment: { zh: '从业人员数', en: 'Employment' },
  rdSpending: { zh: '研发投入（万元）', en: 'R&D spending (10k yuan)' },
  specialisedSmes: { zh: '专精特新中小企业数', en: 'Specialised (专精特新) SMEs' },
  littleGiants: { zh: '专精特新"小巨人"企业数', en: 'Little giants' },
  mainWork: { zh: '年度主要工作', en: 'Main work of the year' },
  problems: { zh: '存在问题及下一步打算', en: 'Problems and next steps' },
};
