/**
 * Senders outside the usual tree (DOMAIN.md "Senders outside the usual tree"): what one province's
 * notice addresses besides its cities, as data of that province's overlay.
 *
 * - `as: 'direct'`: the jurisdiction sends straight to the province level, beside the cities.
 *   Jilin addresses 梅河口市 (220581, a county-level city of 通化市 in the tree) and 长白山管委会
 *   directly: their applications have no city stage.
 * - `as: 'city'`: the jurisdiction is a city-level sender. Shanxi addresses 山西转型综改示范区
 *   (140171, listed in the tree as a county-level zone of 太原市) beside its cities. The tree holds
 *   no member counties under it: it is itself the applicant, and its city stage is run by itself
 *   (the zone's own city-level review, on-site statement and forwarding), not by 太原市. Its cap is
 *   its own (the sender's `cityQuota`, else the overlay's `cityQuota` that binds every city) and
 *   is counted under its own code, out of 太原's.
 *
 * A sender matches an applicant that is the sender or lies below it (a sender could be a whole
 * city-level area); a campaign without such an overlay routes by the tree.
 */
import * as z from 'zod';
import { DivisionCodeSchema } from '../schemas/common.ts';
import { findJurisdiction, parentChain, type ReviewStage } from './jurisdictions.ts';

export const SenderSchema = z.object({
  code: DivisionCodeSchema.describe('the jurisdiction the notice addresses (under this overlay’s province)'),
  as: z
    .enum(['direct', 'city'])
    .describe('direct: sends to the province level itself (no city stage); city: runs its own city-level stage'),
  cityQuota: z
    .int()
    .nonnegative()
    .optional()
    .describe('a city-level sender’s own cap on what it forwards; the overlay’s cityQuota otherwise'),
});
export type Sender = z.infer<typeof SenderSchema>;

/** The sender this applicant files under: itself, or the nearest ancestor below the province. */
export function senderFor(senders: readonly Sender[] | undefined, countyCode: string): Sender | undefined {
  if (!senders?.length) return undefined;
  const below = parentChain(countyCode).slice(0, -1);
  for (const jurisdiction of below) {
    const sender = senders.find((s) => s.code === jurisdiction.code);
    if (sender) return sender;
  }
  return undefined;
}

/**
 * The tree's review stages with the sender applied: a direct sender drops the city stage; a
 * city-level sender's own stage replaces it (or is added where the tree has none).
 */
export function stagesWithSender(stages: readonly ReviewStage[], sender: Sender | undefined): ReviewStage[] {
  if (!sender) return [...stages];
  const above = stages.filter((stage) => stage.stage !== 'city');
  if (sender.as === 'direct') return above;
  const own: ReviewStage = {
    stage: 'city',
    jurisdictionCode: sender.code,
    name: findJurisdiction(sender.code)?.name ?? sender.code,
  };
  return [own, ...above];
}

/**
 * Why an overlay's senders cannot stand, as [index, field, message]: each must be a known
 * jurisdiction under the overlay's province, below the province level itself, named once.
 */
export function senderProblems(provinceCode: string, senders: readonly Sender[]): [number, string, string][] {
  const problems: [number, string, string][] = [];
  const seen = new Set<string>();
  senders.forEach((sender, index) => {
    if (seen.has(sender.code)) problems.push([index, 'code', `sender ${sender.code} is named twice`]);
    seen.add(sender.code);
    const jurisdiction = findJurisdiction(sender.code);
    if (!jurisdiction) {
      problems.push([index, 'code', `${sender.code} is not a known jurisdiction`]);
      return;
    }
    const chain = parentChain(sender.code);
    const top = chain[chain.length - 1];
    if (top?.code !== provinceCode || chain.length < 2) {
      problems.push([index, 'code', `${sender.code} is not a jurisdiction below ${provinceCode}`]);
    }
    if (sender.as === 'direct' && sender.cityQuota !== undefined) {
      problems.push([index, 'cityQuota', 'a direct sender has no city stage to cap']);
    }
  });
  return problems;
}
