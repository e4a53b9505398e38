import * as z from 'zod';
import { StageNameSchema } from '../ladder/contract.ts';
import { ApplicationStatusSchema, DivisionCodeSchema, IsoDateTimeSchema, TrackSchema } from './common.ts';
import { AuditEventSchema } from './records.ts';

/**
 * What operators read: the ops summary (`GET /v1/ops/summary`), a jurisdiction's drill-down
 * (`GET /v1/ops/jurisdictions/{code}`), an application's history and the redrive of a failed
 * execution. The console pages (/console) render these same objects.
 */

export const CampaignQuerySchema = z.object({
  campaignId: z.string().min(1).max(64),
  /** Default: every track of the campaign. */
  track: TrackSchema.optional(),
});
export type CampaignQuery = z.infer<typeof CampaignQuerySchema>;

export const JurisdictionParamSchema = z.strictObject({ code: DivisionCodeSchema });
export const ExecutionNameParamSchema = z.strictObject({
  executionName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'an execution name'),
});

/** Applications per status (statuses with none are left out). */
export const StatusCountsSchema = z.partialRecord(ApplicationStatusSchema, z.int().nonnegative());
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

export const PlaceCountsSchema = z.object({
  code: DivisionCodeSchema,
  name: z.string(),
  total: z.int().nonnegative(),
  byStatus: StatusCountsSchema,
});
export type PlaceCounts = z.infer<typeof PlaceCountsSchema>;

export const QuotaGaugeSchema = z.object({
  scope: z.enum(['provincial', 'city', 'sub-sector']),
  jurisdictionCode: z.string(),
  name: z.string(),
  track: TrackSchema,
  used: z.int().nonnegative(),
  limit: z.int().nonnegative(),
  /** Who holds each slot (present in a jurisdiction's drill-down). */
  holders: z.array(z.object({ applicationId: z.uuid(), clusterName: z.string().optional() })).optional(),
});
export type QuotaGauge = z.infer<typeof QuotaGaugeSchema>;

export const CalendarDaySchema = z.object({
  /** Beijing calendar day of the deadline. */
  date: z.iso.date(),
  total: z.int().nonnegative(),
  byStatus: StatusCountsSchema,
  /** The day is over and these still wait. */
  past: z.boolean(),
  /** What the campaign's calendar says happens that day, if anything. */
  milestones: z.array(z.string()),
});
export type CalendarDay = z.infer<typeof CalendarDaySchema>;

export const LateItemSchema = z.object({
  applicationId: z.uuid(),
  clusterName: z.string(),
  countyCode: DivisionCodeSchema,
  place: z.string(),
  provincialCode: DivisionCodeSchema,
  status: ApplicationStatusSchema,
  stage: StageNameSchema.optional(),
  dueAt: IsoDateTimeSchema,
  daysLate: z.number(),
});
export type LateItem = z.infer<typeof LateItemSchema>;

export const FailedExecutionSchema = z.object({
  executionName: z.string(),
  executionArn: z.string(),
  applicationId: z.string().optional(),
  clusterName: z.string().optional(),
  status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
  startDate: IsoDateTimeSchema,
  stopDate: IsoDateTimeSchema.optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  redriveCount: z.int().nonnegative(),
  redrivable: z.boolean(),
});
export type FailedExecution = z.infer<typeof FailedExecutionSchema>;

export const OpsSummarySchema = z.object({
  /** `name` in Chinese; `nameEn` in English (added compatibly). */
  campaign: z.object({
    campaignId: z.string(),
    name: z.string(),
    nameEn: z.string().optional(),
    tracks: z.array(TrackSchema),
  }),
  generatedAt: IsoDateTimeSchema,
  totals: z.object({ total: z.int().nonnegative(), byStatus: StatusCountsSchema }),
  /** Per provincial-rank jurisdiction with applications. */
  provinces: z.array(PlaceCountsSchema),
  /** Open applications per stage, and how many of them are past due. */
  stages: z.array(z.object({ stage: z.string(), pending: z.int().nonnegative(), overdue: z.int().nonnegative() })),
  /** Deadlines with what is still pending at each (open applications by due day). */
  calendar: z.array(CalendarDaySchema),
  /** Late: OVERDUE, or still open past the deadline (most recent first, at most 100). */
  late: z.array(LateItemSchema),
  quotas: z.array(QuotaGaugeSchema),
  failedExecutions: z.array(FailedExecutionSchema),
});
export type OpsSummary = z.infer<typeof OpsSummarySchema>;

export const JurisdictionDrillDownSchema = z.object({
  campaign: z.object({ campaignId: z.string(), name: z.string() }),
  jurisdiction: z.object({
    code: DivisionCodeSchema,
    name: z.string(),
    rank: z.string(),
    chain: z.array(z.object({ code: z.string(), name: z.string() })),
  }),
  generatedAt: IsoDateTimeSchema,
  totals: z.object({ total: z.int().nonnegative(), byStatus: StatusCountsSchema }),
  /** The level below: cities of a province, counties of a city or municipality. */
  children: z.array(PlaceCountsSchema),
  /** Applications of the jurisdiction (a county, or a city's / province's, at most 500). */
  applications: z.array(
    z.object({
      applicationId: z.uuid(),
      clusterName: z.string(),
      countyCode: DivisionCodeSchema,
      place: z.string(),
      status: ApplicationStatusSchema,
      stage: StageNameSchema.optional(),
      dueAt: IsoDateTimeSchema,
      updatedAt: IsoDateTimeSchema,
    }),
  ),
  quotas: z.array(QuotaGaugeSchema),
});
export type JurisdictionDrillDown = z.infer<typeof JurisdictionDrillDownSchema>;

export const HistorySchema = z.object({
  applicationId: z.uuid(),
  clusterName: z.string(),
  status: ApplicationStatusSchema,
  /** The timeline names MIIT's decisions as MIIT means them on the track. */
  track: TrackSchema,
  events: z.array(AuditEventSchema),
});
export type History = z.infer<typeof HistorySchema>;

export const RedriveResultSchema = z.object({
  executionName: z.string(),
  executionArn: z.string(),
  redriveDate: IsoDateTimeSchema,
});
export type RedriveResult = z.infer<typeof RedriveResultSchema>;
