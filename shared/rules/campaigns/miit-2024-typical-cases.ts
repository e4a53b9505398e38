/**
 * The 2024 call for typical cases (典型案例) of recognised clusters: write-ups in seven aspects,
 * a summary table and the region's cultivation measures, climbing city → province → MIIT.
 * Case numbers are not capped.
 *
 * Assumptions: the national call's document number and opening date are not recorded in the
 * notices this project works from; opensAt is set to 1 June 2024, before Anhui's 21 June city
 * deadline, and the notice field names the call instead of a document number.
 */
import { type Campaign, type CampaignInput, type ChecklistItemInput, defineCampaign } from '../campaign.ts';
import { TYPICAL_CASE_ASPECT_TITLES, TYPICAL_CASE_ASPECTS } from '../criteria.ts';
import { MiB } from './sizes.ts';

const typicalCaseChecklist: ChecklistItemInput[] = [
  ...TYPICAL_CASE_ASPECTS.map((aspect): ChecklistItemInput => ({
    id: aspect,
    aspect,
    title: {
      zh: `典型案例：${TYPICAL_CASE_ASPECT_TITLES[aspect].zh}`,
      en: `Typical case: ${TYPICAL_CASE_ASPECT_TITLES[aspect].en}`,
    },
    // A case need not cover every aspect; the form asks for at least one.
    required: false,
    fileTypes: ['pdf', 'docx', 'jpeg', 'png'],
    maxBytes: 20 * MiB,
    maxFiles: 5,
  })),
  {
    id: 'summary-table',
    title: { zh: '典型案例汇总表', en: 'Summary table of typical cases' },
    required: true,
    fileTypes: ['xlsx'],
    maxBytes: 5 * MiB,
    maxFiles: 1,
  },
  {
    id: 'cultivation-measures',
    title: { zh: '本地区集群培育工作举措', en: "The region's measures for cultivating clusters" },
    required: true,
    fileTypes: ['pdf', 'ofd', 'docx'],
    maxBytes: 20 * MiB,
    maxFiles: 3,
  },
];

export const miit2024TypicalCasesInput: CampaignInput = {
  campaignId: 'miit-2024-typical-cases',
  name: {
    zh: '2024年中小企业特色产业集群典型案例征集',
    en: '2024 call for typical cases of SME characteristic industrial clusters',
  },
  year: 2024,
  notice: '工业和信息化部 2024年中小企业特色产业集群典型案例征集',
  opensAt: '2024-06-01T00:00:00+08:00',
  // The call sets no MIIT date; the end of the year is this project's assumption, leaving MIIT
  // its own window after the provinces' 30 June deadline.
  calendar: { province: '2024-06-30T23:59:59+08:00', miit: '2024-12-31T23:59:59+08:00', validityYears: 3 },
  tracks: { 'typical-case': { checklist: typicalCaseChecklist, quota: false } },
  quotas: { byRank: { province: null, municipality: null, 'planned-city': null, xpcc: null } },
  overlays: [
    {
      provinceCode: '340000',
      name: { zh: '安徽省', en: 'Anhui' },
      calendar: { city: '2024-06-21T23:59:59+08:00' },
    },
  ],
};

export const miit2024TypicalCases: Campaign = defineCampaign(miit2024TypicalCasesInput);
