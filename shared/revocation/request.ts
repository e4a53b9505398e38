/**
 * A request to cancel a qualification for false information (一经查实，立即取消其资格, DOMAIN.md):
 * the reviewer who found it files it at their level; an operator over that level (or MIIT)
 * confirms or declines it. Two people: the requester never decides their own request. Confirmed
 * in flight, the application is cancelled; confirmed after recognition, its register entry is
 * revoked. The request's own states are data: requested → confirmed | declined, nothing after.
 */
import * as z from 'zod';
import { ConflictError } from '../platform/errors.ts';
import { DivisionCodeSchema, IsoDateTimeSchema } from '../schemas/common.ts';
import { FreeText, reasonRequired } from '../schemas/free-text.ts';

export const REVOCATION_STATES = ['requested', 'confirmed', 'declined'] as const;
export const RevocationStateSchema = z.enum(REVOCATION_STATES);
export type RevocationState = z.infer<typeof RevocationStateSchema>;

/** Which state may follow which: a decision is final. */
const NEXT_STATES: Readonly<Record<RevocationState, readonly RevocationState[]>> = {
  requested: ['confirmed', 'declined'],
  confirmed: [],
  declined: [],
};

export const mayMoveRequest = (from: RevocationState, to: RevocationState): boolean => NEXT_STATES[from].includes(to);

/** What the request is about: an application (in flight or recognised) or a register entry (imported ones too). */
export const RevocationTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('application'), applicationId: z.uuid() }),
  z.strictObject({ kind: z.literal('entry'), entryId: z.string().min(1).max(300) }),
]);
export type RevocationTarget = z.infer<typeof RevocationTargetSchema>;

export const REVOCATION_REASON_REQUIRED =
  '一经查实，立即取消：须写明查实的虚假信息 / the false information found is required';
export const DECLINE_REASON_REQUIRED = '不予确认须说明理由 / a declined request needs its reason';

/** POST /v1/revocations: what was found, where. */
export const FileRevocationBodySchema = z.strictObject({
  target: RevocationTargetSchema,
  reason: FreeText(2000).pipe(z.string().min(1, REVOCATION_REASON_REQUIRED)),
  evidenceNote: FreeText(2000).optional(),
});
export type FileRevocationBody = z.infer<typeof FileRevocationBodySchema>;

/**
 * POST /v1/reviews/{reviewId}/revocations: the same, from a review's link page; the target is the
 * review's application, and `t` (the link's secret) may ride in the body, as the page's form sends it.
 */
export const LinkRevocationBodySchema = z.strictObject({
  t: z.string().max(200).optional(),
  reason: FreeText(2000).pipe(z.string().min(1, REVOCATION_REASON_REQUIRED)),
  evidenceNote: FreeText(2000).optional(),
});

/** POST …/decision: confirm, or decline with the reason. */
export const RevocationDecisionBodySchema = z
  .strictObject({
    decision: z.enum(['confirm', 'decline']),
    reason: FreeText(2000).optional(),
  })
  .superRefine(reasonRequired((body) => body.decision === 'decline', DECLINE_REASON_REQUIRED));
export type RevocationDecisionBody = z.infer<typeof RevocationDecisionBodySchema>;

export const RevocationIdParamSchema = z.strictObject({ requestId: z.uuid('not a request number') });

/** Who acted: a person as their token names them. */
export const RevocationActorSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(['applicant', 'reviewer', 'operator']),
  jurisdiction: DivisionCodeSchema,
  name: z.string().optional(),
});
export type RevocationActor = z.infer<typeof RevocationActorSchema>;

/** What a confirmed request did. */
export const RevocationEffectSchema = z.object({
  at: IsoDateTimeSchema,
  /** cancelled: the application ended in flight; revoked: the register entry was revoked. */
  outcome: z.enum(['cancelled', 'revoked']),
  entryId: z.string().optional(),
  /** Whether the county was emailed (an imported entry may have no address on file). */
  countyTold: z.boolean(),
});
export type RevocationEffect = z.infer<typeof RevocationEffectSchema>;

export const RevocationRequestSchema = z.object({
  requestId: z.uuid(),
  target: RevocationTargetSchema,
  /** The application behind the target, when there is one (an imported entry has none). */
  applicationId: z.uuid().optional(),
  /** The register entry behind the target, when the cluster is recognised. */
  entryId: z.string().optional(),
  /** What the request would end: an application still in flight, or a recognised cluster. */
  phase: z.enum(['in-flight', 'recognised']),
  clusterName: z.string(),
  countyCode: DivisionCodeSchema,
  provinceCode: DivisionCodeSchema,
  /** The level where it was found: the requesting reviewer's jurisdiction. */
  levelCode: DivisionCodeSchema,
  reason: z.string().min(1),
  evidenceNote: z.string().optional(),
  requestedBy: RevocationActorSchema,
  requestedAt: IsoDateTimeSchema,
  state: RevocationStateSchema,
  decidedBy: RevocationActorSchema.optional(),
  decidedAt: IsoDateTimeSchema.optional(),
  declineReason: z.string().optional(),
  /** Set once the confirmed request's effect has landed (a retried confirmation finishes it). */
  effect: RevocationEffectSchema.optional(),
  revision: z.int().nonnegative(),
});
export type RevocationRequest = z.infer<typeof RevocationRequestSchema>;

/** The key that allows one open request per cluster: its register entry once recognised, else its application. */
export const openKeyOf = (request: Pick<RevocationRequest, 'entryId' | 'applicationId'>): string =>
  request.entryId !== undefined ? `ENTRY#${request.entryId}` : `APP#${request.applicationId ?? ''}`;

/** The request after a decision: pure; refuses a move its state does not allow. */
export function decidedRequest(
  request: RevocationRequest,
  decision: { to: 'confirmed' | 'declined'; by: RevocationActor; at: string; reason?: string },
): RevocationRequest {
  if (!mayMoveRequest(request.state, decision.to)) {
    throw new ConflictError(
      'REVOCATION_DECIDED',
      `revocation request ${request.requestId} is already ${request.state}`,
      [
        {
          field: 'state',
          code: 'REVOCATION_DECIDED',
          message: `已处理（${request.state}） / already ${request.state}`,
        },
      ],
    );
  }
  return {
    ...request,
    state: decision.to,
    decidedBy: decision.by,
    decidedAt: decision.at,
    ...(decision.to === 'declined' && decision.reason !== undefined && { declineReason: decision.reason }),
    revision: request.revision + 1,
  };
}

/** The request with its effect recorded. */
export const appliedRequest = (request: RevocationRequest, effect: RevocationEffect): RevocationRequest => ({
  ...request,
  effect,
  revision: request.revision + 1,
});
