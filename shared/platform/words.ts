/**
 * The pipeline's own words that pages and emails share: the review stages, the decisions and the
 * tracks, in Chinese and English. The console's other words are in platform/pages/i18n.ts.
 */
import type { DecisionKind, StageName } from '../ladder/contract.ts';
import type { Bilingual, Track } from '../schemas/common.ts';

export const STAGE_TITLES: Readonly<Record<StageName, Bilingual>> = {
  city: { zh: '市级审核', en: 'City review' },
  province: { zh: '省级审核（专家评审）', en: 'Provincial review (expert scoring)' },
  miit: { zh: '工业和信息化部审核', en: 'MIIT review' },
};

export const DECISION_TITLES: Readonly<Record<DecisionKind, Bilingual>> = {
  approve: { zh: '同意推荐', en: 'Approve (recommend onward)' },
  return: { zh: '退回修改', en: 'Return for revision' },
  reject: { zh: '不予推荐', en: 'Reject' },
};

export const TRACK_TITLES: Readonly<Record<Track, Bilingual>> = {
  recommendation: { zh: '特色产业集群推荐', en: 'Recommendation' },
  rereview: { zh: '复核', en: 'Re-review' },
  'typical-case': { zh: '典型案例', en: 'Typical case' },
};
