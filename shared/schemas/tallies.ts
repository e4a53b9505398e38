import * as z from 'zod';
import { ApplicationStatusSchema, DivisionCodeSchema, TrackSchema } from './common.ts';

/** A running count of a campaign's applications (shared/adapters/dynamo-tallies.ts keeps them). */
export const TALLY_KINDS = ['province', 'county', 'due'] as const;
export type TallyKind = (typeof TALLY_KINDS)[number];

export const TallySchema = z.object({
  campaignId: z.string(),
  kind: z.enum(TALLY_KINDS),
  track: TrackSchema,
  status: ApplicationStatusSchema,
  provincialCode: DivisionCodeSchema.optional(),
  cityCode: DivisionCodeSchema.optional(),
  countyCode: DivisionCodeSchema.optional(),
  /** Beijing calendar day of the deadline (kind `due`). */
  dueDate: z.iso.date().optional(),
  count: z.int(),
});
export type Tally = z.infer<typeof TallySchema>;
