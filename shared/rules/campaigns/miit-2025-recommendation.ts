/**
 * The national 2025 call: 《关于组织开展2025年度中小企业特色产业集群推荐和2022年度中小企业特色产业集群
 * 复核工作的通知》(工信厅企业函〔2025〕77号, issued 3 March 2025), recommendation track. The re-review
 * of the 2022 cohort, launched by the same notice, is its own campaign (miit-2025-rereview).
 */

import type { FileType } from '../../schemas/common.ts';
import { type Campaign, type CampaignInput, defineCampaign } from '../campaign.ts';
import { type ChecklistItemInput, ONSITE_STATEMENT_ITEM_ID } from '../checklist.ts';
import { type ProvinceOverlayInput } from '../province-overlay.ts';
import { CRITERIA, CRITERION_TITLES, type Criterion } from '../criteria.ts';
import { CHANGBAISHAN_CODE } from '../jurisdictions.ts';
import type { SubSector } from '../sub-sectors.ts';
import { MiB } from './sizes.ts';

/**
 * MIIT's review deadline for the 2025 campaigns: an assumption of this project (the end of the
 * year), since the notices give MIIT no date; a calendar must leave MIIT a window of its own.
 */
export const MIIT_2025_DEADLINE = '2025-12-31T23:59:59+08:00';

/** Evidence per criterion: which kinds of file fit, and how large a file may be. */
const CRITERION_EVIDENCE: Readonly<Record<Criterion, { fileTypes: FileType[]; maxMiB: number }>> = {
  'core-competitiveness': { fileTypes: ['pdf', 'ofd', 'xlsx', 'docx'], maxMiB: 50 },
  'tiered-cultivation': { fileTypes: ['pdf', 'ofd', 'xlsx'], maxMiB: 50 },
  'chain-collaboration': { fileTypes: ['pdf', 'ofd', 'xlsx', 'docx'], maxMiB: 30 },
  'collaborative-innovation': { fileTypes: ['pdf', 'ofd', 'jpeg', 'png'], maxMiB: 50 },
  'digital-transformation': { fileTypes: ['pdf', 'ofd', 'jpeg', 'png', 'docx'], maxMiB: 30 },
  'green-development': { fileTypes: ['pdf', 'ofd', 'jpeg', 'png'], maxMiB: 30 },
  'open-cooperation': { fileTypes: ['pdf', 'ofd', 'jpeg', 'png', 'docx'], maxMiB: 20 },
  'governance-services': { fileTypes: ['pdf', 'ofd', 'docx'], maxMiB: 20 },
};

/** The county-level checklist: the signed form and evidence for each of the eight criteria. */
export const recommendationChecklist: ChecklistItemInput[] = [
  {
    id: 'application-form',
    title: { zh: '中小企业特色产业集群申报表（盖章）', en: 'Application form, signed and stamped' },
    required: true,
    fileTypes: ['pdf', 'ofd'],
    maxBytes: 20 * MiB,
    maxFiles: 1,
  },
  ...CRITERIA.map((criterion): ChecklistItemInput => ({
    id: criterion,
    criterion,
    title: {
      zh: `佐证材料：${CRITERION_TITLES[criterion].zh}`,
      en: `Evidence: ${CRITERION_TITLES[criterion].en}`,
    },
    required: true,
    fileTypes: CRITERION_EVIDENCE[criterion].fileTypes,
    maxBytes: CRITERION_EVIDENCE[criterion].maxMiB * MiB,
    maxFiles: 5,
  })),
];

/**
 * Shanxi's cities' on-site check statement (现场核查符合性说明): an item of Shanxi's overlay only,
 * where its cities declare the onsite-statement step, so that nobody elsewhere (a Beijing district
 * above all, with no city level) is shown an item nobody can upload.
 */
export const onsiteStatementItem: ChecklistItemInput = {
  id: ONSITE_STATEMENT_ITEM_ID,
  title: { zh: '现场核查符合性说明（市级）', en: "The city's on-site check statement" },
  required: true,
  // The city writes it after its site visit and uploads it during its review; the county's
  // submission does not wait for it, and the city may approve only once it is VALID.
  uploadedBy: 'city',
  fileTypes: ['pdf', 'ofd'],
  maxBytes: 20 * MiB,
  maxFiles: 2,
};

export const jilin2025Overlay: ProvinceOverlayInput = {
  provinceCode: '220000',
  name: { zh: '吉林省', en: 'Jilin' },
  notice: '吉林省工业和信息化厅 2025年中小企业特色产业集群申报推荐和复核工作通知（2025-03-21）',
  calendar: { city: '2025-05-16T23:59:59+08:00' },
  milestones: [
    {
      id: 'candidate-list',
      date: '2025-04-10T23:59:59+08:00',
      title: { zh: '各市（州）报送拟推荐集群名单', en: 'Cities send the list of candidate clusters' },
    },
  ],
  // Provincial and national status are recommended in one pass: the city states, for each
  // provincial candidate, whether it is also recommended for national status.
  cityStatesAlsoNational: true,
  // Jilin recognises its own provincial list (4 provincial clusters today, DOMAIN.md); the city's
  // statement decides which of its candidates also go to MIIT. 梅河口 and 长白山, with no city,
  // are asked at the province's first step.
  provincialRecognition: { validityYears: 3, nationalCandidates: 'city-states', priorProvincialRequired: false },
  // Jilin's cities file their 10 April candidate list with their own summary table.
  cityTables: true,
  // Jilin's cities send their stamped formal letter with their list.
  steps: { city: [{ kind: 'review' }, { kind: 'formal-letter' }] },
  // Jilin's notice addresses 梅河口市 and 长白山管委会 beside its cities: both send to the province.
  senders: [
    { code: '220581', as: 'direct' }, // 梅河口市 (in the tree under 通化市)
    { code: CHANGBAISHAN_CODE, as: 'direct' }, // 长白山管委会 (a code of the programme's own)
  ],
};

/**
 * ILLUSTRATIVE ONLY: Shanxi's notice publishes no list of sub-sectors. This short list shows the
 * shape of the configuration (and lets the per-sub-sector cap compare ids, not spellings); an
 * operator replaces it with the list the province actually uses.
 */
export const shanxiSubSectors: SubSector[] = [
  { id: 'coal-machinery', name: { zh: '煤机装备', en: 'Coal-mining machinery' } },
  { id: 'special-steel', name: { zh: '特种钢', en: 'Special steel' } },
  { id: 'new-materials', name: { zh: '新材料', en: 'New materials' } },
  { id: 'modern-coal-chemicals', name: { zh: '现代煤化工', en: 'Modern coal chemicals' } },
  { id: 'rail-equipment', name: { zh: '轨道交通装备', en: 'Rail transit equipment' } },
  { id: 'specialty-foods', name: { zh: '特色食品', en: 'Specialty foods' } },
];

export const shanxi2025Overlay: ProvinceOverlayInput = {
  provinceCode: '140000',
  name: { zh: '山西省', en: 'Shanxi' },
  calendar: { city: '2025-05-31T23:59:59+08:00' },
  cityQuota: 3,
  perSubSectorQuota: 1,
  // Shanxi's cities each send their own recommendation summary table to the province.
  cityTables: true,
  // Shanxi addresses 山西转型综改示范区 as a city-level sender: its own city stage and cap of 3.
  senders: [{ code: '140171', as: 'city' }],
  subSectors: shanxiSubSectors,
  // Shanxi recognises its provincial list after its 公示 and chooses its national candidates from
  // it (择优): the province states it at its meeting, the step that settles the list. National
  // applicants are recognised provincially first; an exception needs a stated reason.
  provincialRecognition: { validityYears: 3, nationalCandidates: 'province-chooses', priorProvincialRequired: true },
  checklistAdditions: [
    {
      id: 'shanxi-provincial-recognition',
      title: {
        zh: '省级中小企业特色产业集群认定文件（如有）',
        en: 'Provincial cluster recognition, if any (Shanxi asks national applicants to hold it first)',
      },
      // Not required: Shanxi allows exceptions to "provincial first".
      required: false,
      fileTypes: ['pdf', 'ofd'],
      maxBytes: 20 * MiB,
      maxFiles: 2,
    },
    onsiteStatementItem,
  ],
  steps: {
    // The city signs its on-site check statement after its review and site visit.
    city: [{ kind: 'review' }, { kind: 'onsite-statement' }],
    province: [
      { kind: 'formal-check' },
      { kind: 'expert-panel', minExperts: 3, aggregate: 'mean' },
      { kind: 'sampling' },
      { kind: 'meeting' },
      // The period of the 公示 is configuration, not the notice's: it names the 公示 without its
      // length, so 7 days is this deployment's configured value (DOMAIN.md: never invented).
      { kind: 'public-notice', days: 7 },
      { kind: 'formal-letter' },
    ],
  },
};

export const miit2025RecommendationInput: CampaignInput = {
  campaignId: 'miit-2025-recommendation',
  name: {
    zh: '2025年度中小企业特色产业集群推荐',
    en: '2025 recommendation of SME characteristic industrial clusters',
  },
  year: 2025,
  notice: '工信厅企业函〔2025〕77号',
  opensAt: '2025-03-03T00:00:00+08:00',
  calendar: {
    // The provinces' deadline is the notice's; counties and cities follow their province's
    // overlay, or else that deadline itself.
    province: '2025-07-15T23:59:59+08:00',
    // The notices set no MIIT deadline. MIIT needs a window of its own after the provinces' lists
    // arrive: the end of the campaign year is this project's assumption, not a notice's date.
    miit: MIIT_2025_DEADLINE,
    validityYears: 3,
  },
  tracks: {
    recommendation: {
      // No thresholds: the notices give no figures (DOMAIN.md), so none is checked.
      checklist: recommendationChecklist,
      quota: true,
    },
  },
  // The national call's steps: the province's 初审, its on-site sampling and its formal letter.
  steps: {
    city: [{ kind: 'review' }],
    province: [{ kind: 'review' }, { kind: 'sampling' }, { kind: 'formal-letter' }],
    miit: [{ kind: 'review' }],
  },
  quotas: { byRank: { province: 8, municipality: 8, 'planned-city': 2, xpcc: 2 } },
  overlays: [jilin2025Overlay, shanxi2025Overlay],
};

export const miit2025Recommendation: Campaign = defineCampaign(miit2025RecommendationInput);
