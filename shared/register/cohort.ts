/**
 * The re-review cohort on the console (issue 13 item 2): every member of the cohort a re-review
 * campaign names, within the official's jurisdiction, by province, city and county — whether it
 * filed, where its filing stands, and how long each level has until its deadline (Beijing time).
 * Members that have not filed are counted: they are who the sweeper reminds (./cohort-reminders.ts).
 */
import * as z from 'zod';
import { ValidationError } from '../platform/errors.ts';
import { timeLeft } from '../platform/time.ts';
import type { EntryFilings } from '../ports/register.ts';
import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import { findJurisdiction, parentChain } from '../rules/jurisdictions.ts';
import { StageNameSchema } from '../ladder/contract.ts';
import { ApplicationStatusSchema, BilingualSchema, ENDED_STATUSES } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { type Cohort, inCohort } from './eligibility.ts';
import { RegisterLevelSchema, type RegisterEntry, RegisterStateSchema } from './entry.ts';

/** The track a cohort files. */
export const COHORT_TRACK = 'rereview' as const;

/** Where a member's filing stands: none, a draft, under review, or ended (retained, rejected, withdrawn…). */
export const FILING_STATES = ['not-filed', 'draft', 'in-review', 'ended'] as const;
export const FilingStateSchema = z.enum(FILING_STATES);
export type FilingState = z.infer<typeof FilingStateSchema>;

export const LevelDeadlineSchema = z.object({
  stage: StageNameSchema,
  jurisdictionCode: z.string(),
  at: z.string().describe('the deadline, ISO 8601 with its offset'),
  left: BilingualSchema.describe('the countdown from now, in words'),
  passed: z.boolean(),
});

export const CohortMemberSchema = z.object({
  entryId: z.string(),
  clusterName: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  cityCode: z.string().optional(),
  cityName: z.string().optional(),
  provinceCode: z.string(),
  provinceName: z.string(),
  state: RegisterStateSchema,
  validUntil: z.string(),
  filing: FilingStateSchema,
  applicationId: z.uuid().optional(),
  status: ApplicationStatusSchema.optional(),
  deadlines: z.array(LevelDeadlineSchema).describe("each level's deadline on this member's route, with a countdown"),
});
export type CohortMember = z.infer<typeof CohortMemberSchema>;

export const CohortViewSchema = z.object({
  campaignId: z.string(),
  cohort: z.object({ level: RegisterLevelSchema, year: z.int() }),
  now: z.string(),
  members: z.array(CohortMemberSchema),
  counts: z.object({
    members: z.int(),
    filed: z.int(),
    notFiled: z.int(),
    notFiledByProvince: z.record(z.string(), z.int()),
  }),
});
export type CohortView = z.infer<typeof CohortViewSchema>;

export const CohortQuerySchema = z.object({
  campaignId: z.string().min(1).max(64),
  province: z
    .string()
    .regex(/^\d{6}$/u)
    .optional(),
});

/** The cohort the campaign's re-review names; 400 naming campaignId when it names none. */
export function cohortOfCampaign(campaign: Campaign): Cohort {
  const cohort = campaign.tracks[COHORT_TRACK]?.cohort;
  if (!cohort) {
    throw new ValidationError(`Campaign ${campaign.campaignId} re-reviews no cohort`, [
      { field: 'campaignId', code: 'NO_COHORT', message: 'this campaign has no re-review track naming a cohort' },
    ]);
  }
  return cohort;
}

export function filingState(application: ApplicationRecord | undefined): FilingState {
  if (!application) return 'not-filed';
  if (application.status === 'DRAFT') return 'draft';
  return ENDED_STATUSES.has(application.status) ? 'ended' : 'in-review';
}

/** The city (if any) and province above a county, by name. */
function placesOf(countyCode: string) {
  const chain = findJurisdiction(countyCode) ? parentChain(countyCode) : [];
  const province = chain.at(-1);
  const city = chain.length > 2 ? chain[1] : undefined;
  return {
    countyName: chain[0]?.name ?? countyCode,
    ...(city && { cityCode: city.code, cityName: city.name }),
    provinceName: province?.name ?? '',
  };
}

/** Each level's deadline on the member's route (its province's overlay included), with a countdown. */
export function levelDeadlines(campaign: Campaign, countyCode: string, now: Date) {
  if (!findJurisdiction(countyCode)) return [];
  const rules = effectiveRules(campaign, COHORT_TRACK, countyCode);
  const at = now.toISOString();
  return rules.stages.flatMap((stage) => {
    const deadline = rules.deadlines[stage.stage];
    if (!deadline) return [];
    return [
      {
        stage: stage.stage,
        jurisdictionCode: stage.jurisdictionCode,
        at: deadline,
        left: timeLeft(deadline, at),
        passed: Date.parse(deadline) <= now.getTime(),
      },
    ];
  });
}

/** Whether the member has submitted its filing (a draft not yet submitted has not filed). */
export const hasFiled = (member: Pick<CohortMember, 'filing'>) =>
  member.filing === 'in-review' || member.filing === 'ended';

/** Province, city, county, name: the order the console lists them in. */
const byPlace = (a: CohortMember, b: CohortMember) =>
  a.provinceCode.localeCompare(b.provinceCode) ||
  (a.cityCode ?? '').localeCompare(b.cityCode ?? '') ||
  a.countyCode.localeCompare(b.countyCode) ||
  a.clusterName.localeCompare(b.clusterName, 'zh');

/**
 * The cohort as the official sees it: `entries` are already those within their scope; the members
 * among them, each with its filing (if any) read from `filings`.
 */
export async function cohortView(
  campaign: Campaign,
  entries: readonly RegisterEntry[],
  filings: EntryFilings,
  now: Date,
): Promise<CohortView> {
  const cohort = cohortOfCampaign(campaign);
  const members = await Promise.all(
    entries
      .filter((entry) => inCohort(entry, cohort))
      .map(async (entry): Promise<CohortMember> => {
        const application = await filings.filingOf({
          campaignId: campaign.campaignId,
          track: COHORT_TRACK,
          countyCode: entry.countyCode,
          entryId: entry.entryId,
        });
        return {
          entryId: entry.entryId,
          clusterName: entry.clusterName,
          countyCode: entry.countyCode,
          provinceCode: entry.provinceCode,
          ...placesOf(entry.countyCode),
          state: entry.state,
          validUntil: entry.validUntil,
          filing: filingState(application),
          ...(application && { applicationId: application.applicationId, status: application.status }),
          deadlines: levelDeadlines(campaign, entry.countyCode, now),
        };
      }),
  );
  members.sort(byPlace);
  const notFiled = members.filter((member) => !hasFiled(member));
  return {
    campaignId: campaign.campaignId,
    cohort,
    now: now.toISOString(),
    members,
    counts: {
      members: members.length,
      filed: members.length - notFiled.length,
      notFiled: notFiled.length,
      notFiledByProvince: notFiled.reduce<Record<string, number>>((counts, member) => {
        counts[member.provinceCode] = (counts[member.provinceCode] ?? 0) + 1;
        return counts;
      }, {}),
    },
  };
}
