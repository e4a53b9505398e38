/**
 * The 2024 call for typical cases (典型案例) of recognised clusters: write-ups in seven aspects,
 * climbing city → province → MIIT. Case numbers are not capped.
 *
 * The county files its case only: never the summary table nor the cultivation measures. The
 * gathering level (the province; in Anhui the city too) submits its cases as one batch: it files
 * its own 培育举措 once (a level document, `cultivation-measures`), which completes the formal-letter
 * step of every case waiting on it and generates the batch's 典型案例信息汇总表 (docs/typical-cases.md).
 *
 * Assumptions: the national call's document number and opening date are not recorded in the
 * notices this project works from; opensAt is set to 1 June 2024, before Anhui's 21 June city
 * deadline, and the notice field names the call instead of a document number.
 */
import { type Campaign, type CampaignInput, defineCampaign } from '../campaign.ts';
import { type ChecklistItemInput } from '../checklist.ts';
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
  // The province gathers its cases and sends them to MIIT as a batch with its measures.
  steps: { province: [{ kind: 'review' }, { kind: 'formal-letter', document: 'cultivation-measures' }] },
  quotas: { byRank: { province: null, municipality: null, 'planned-city': null, xpcc: null } },
  overlays: [
    {
      provinceCode: '340000',
      name: { zh: '安徽省', en: 'Anhui' },
      calendar: { city: '2024-06-21T23:59:59+08:00' },
      // Anhui's cities gather their cases first: each sends its batch with its own measures and table.
      steps: { city: [{ kind: 'review' }, { kind: 'formal-letter', document: 'cultivation-measures' }] },
      cityTables: true,
    },
  ],
};

export const miit2024TypicalCases: Campaign = defineCampaign(miit2024TypicalCasesInput);
