/**
 * A demo campaign for the local runtime: the 2025 recommendation rules, open from yesterday,
 * with every date relative to `now` (overlays included, ordering kept valid).
 */
import { type Campaign, type CampaignInput, defineCampaign } from '../campaign.ts';
import { toBeijingIso } from '../../platform/time.ts';
import { jilin2025Overlay, miit2025RecommendationInput, shanxi2025Overlay } from './miit-2025-recommendation.ts';

const DAY_MS = 86_400_000;

/** Offsets from `now`, in days. */
const DEMO_DAYS = {
  opensAt: -1,
  submission: 14,
  city: 30,
  province: 60,
  miit: 90,
  jilinCandidateList: 7,
  jilinCity: 21,
  shanxiCity: 25,
} as const;

export function demoCampaign(now: Date): Campaign {
  const at = (days: number) => toBeijingIso(new Date(now.getTime() + days * DAY_MS));
  const year = Number(at(0).slice(0, 4));
  const input: CampaignInput = {
    ...structuredClone(miit2025RecommendationInput),
    campaignId: `demo-${year}-recommendation`,
    name: {
      zh: `${year}年度中小企业特色产业集群推荐（演示）`,
      en: `${year} recommendation of SME characteristic industrial clusters (demo)`,
    },
    year,
    notice: '演示活动（非正式通知）',
    opensAt: at(DEMO_DAYS.opensAt),
    calendar: {
      submission: at(DEMO_DAYS.submission),
      city: at(DEMO_DAYS.city),
      province: at(DEMO_DAYS.province),
      miit: at(DEMO_DAYS.miit),
      // Read only by the state machine's post-MIIT notice, which goes once a campaign's notice is
      // a step it places (shared/rules/steps.ts); then this line goes too.
      noticeDays: 7,
      validityYears: 3,
    },
    overlays: [
      {
        ...structuredClone(jilin2025Overlay),
        calendar: { city: at(DEMO_DAYS.jilinCity) },
        milestones: (jilin2025Overlay.milestones ?? []).map((milestone) => ({
          ...milestone,
          date: at(DEMO_DAYS.jilinCandidateList),
        })),
      },
      { ...structuredClone(shanxi2025Overlay), calendar: { city: at(DEMO_DAYS.shanxiCity) } },
    ],
  };
  return defineCampaign(input);
}
