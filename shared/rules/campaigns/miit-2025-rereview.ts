/**
 * The re-review (复核) of the clusters recognised in 2022, launched by the same notice as the
 * 2025 recommendation (工信厅企业函〔2025〕77号). Recognitions that are not re-reviewed, or fail,
 * are revoked. Every 2022 cluster takes part, so nothing is capped.
 */
import { type Campaign, type CampaignInput, defineCampaign } from '../campaign.ts';
import { MIIT_2025_DEADLINE, onsiteStatementItem } from './miit-2025-recommendation.ts';
import type { FormAdditionInput } from '../form-additions.ts';
import { MiB } from './sizes.ts';

const NARRATIVE_HELP = { zh: '不超过5000字', en: 'At most 5000 characters' };

/** Shanxi's three contributions (对地方经济、就业、技术创新的贡献), each a narrative and a figure. */
export const SHANXI_REREVIEW_CONTRIBUTIONS: FormAdditionInput[] = [
  {
    id: 'economyContribution',
    label: { zh: '对地方经济的贡献', en: 'Contribution to the local economy' },
    kind: 'narrative',
    help: NARRATIVE_HELP,
    required: true,
  },
  {
    id: 'taxRevenue',
    label: { zh: '上年度集群纳税额', en: "The cluster's taxes paid last year" },
    kind: 'number',
    unit: { zh: '亿元', en: '100 million yuan (亿元)' },
  },
  {
    id: 'employmentContribution',
    label: { zh: '对就业的贡献', en: 'Contribution to employment' },
    kind: 'narrative',
    help: NARRATIVE_HELP,
    required: true,
  },
  {
    id: 'employees',
    label: { zh: '集群从业人数', en: 'People employed in the cluster' },
    kind: 'number',
    unit: { zh: '人', en: 'people' },
  },
  {
    id: 'innovationContribution',
    label: { zh: '对技术创新的贡献', en: 'Contribution to technical innovation' },
    kind: 'narrative',
    help: NARRATIVE_HELP,
    required: true,
  },
  {
    id: 'patentsGranted',
    label: { zh: '认定以来新增授权专利数', en: 'Patents granted since recognition' },
    kind: 'number',
    unit: { zh: '件', en: 'patents' },
  },
];

export const miit2025RereviewInput: CampaignInput = {
  campaignId: 'miit-2025-rereview',
  name: {
    zh: '2022年度中小企业特色产业集群复核',
    en: 'Re-review of the 2022 SME characteristic industrial clusters',
  },
  year: 2025,
  notice: '工信厅企业函〔2025〕77号',
  opensAt: '2025-03-03T00:00:00+08:00',
  calendar: { province: '2025-07-15T23:59:59+08:00', miit: MIIT_2025_DEADLINE, validityYears: 3 },
  tracks: {
    rereview: {
      checklist: [
        {
          id: 'rereview-form',
          title: { zh: '中小企业特色产业集群复核申报表（盖章）', en: 'Re-review form, signed and stamped' },
          required: true,
          fileTypes: ['pdf', 'ofd'],
          maxBytes: 20 * MiB,
          maxFiles: 1,
        },
        {
          id: 'development-since-recognition',
          title: {
            zh: '认定以来集群发展情况报告及佐证材料',
            en: 'Report on the development since recognition, with evidence',
          },
          required: true,
          fileTypes: ['pdf', 'ofd', 'docx', 'xlsx', 'jpeg', 'png'],
          maxBytes: 50 * MiB,
          maxFiles: 10,
        },
        {
          id: 'annual-reports',
          title: { zh: '历年发展情况填报材料', en: 'Yearly development reports filed since recognition' },
          required: false,
          fileTypes: ['pdf', 'ofd', 'xlsx'],
          maxBytes: 20 * MiB,
          maxFiles: 3,
        },
      ],
      quota: false,
      // 须参与: every cluster on MIIT's 2022 list, and only those, files the 2025 re-review.
      cohort: { level: 'national', year: 2022 },
    },
  },
  quotas: { byRank: { province: null, municipality: null, 'planned-city': null, xpcc: null } },
  // The province reviews, samples where necessary (必要时) and files its 正式复核意见文件.
  steps: {
    province: [
      { kind: 'review' },
      { kind: 'sampling', when: 'when-necessary' },
      { kind: 'formal-letter', document: 'rereview' },
    ],
  },
  overlays: [
    {
      provinceCode: '220000',
      name: { zh: '吉林省', en: 'Jilin' },
      notice: '吉林省工业和信息化厅 2025年中小企业特色产业集群申报推荐和复核工作通知（2025-03-21）',
      // Jilin's re-review goes through the city by 16 May, as its recommendations do.
      calendar: { city: '2025-05-16T23:59:59+08:00' },
    },
    {
      provinceCode: '140000',
      name: { zh: '山西省', en: 'Shanxi' },
      // Shanxi's cities send applications and re-review files to the province by 31 May.
      calendar: { city: '2025-05-31T23:59:59+08:00' },
      // Each city sends its own re-review summary table (复核情况汇总表) with its files.
      cityTables: true,
      // Shanxi's cities sign the on-site check statement for re-reviews too.
      checklistAdditions: [onsiteStatementItem],
      steps: { city: [{ kind: 'review' }, { kind: 'onsite-statement' }] },
      // 山西转型综改示范区 sends its re-reviews as a city-level sender too (its own city stage).
      senders: [{ code: '140171', as: 'city' }],
      // Shanxi's re-review records each cluster's contribution to the local economy, employment
      // and technical innovation: a narrative each, with a figure where the county has one.
      formAdditions: SHANXI_REREVIEW_CONTRIBUTIONS,
    },
  ],
};

export const miit2025Rereview: Campaign = defineCampaign(miit2025RereviewInput);
