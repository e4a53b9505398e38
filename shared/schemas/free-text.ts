/**
 * What people write into a request body: free text, and the reason a decision owes when it goes
 * against the applicant or the requester (a return, a rejection, a declined cancellation, a
 * dismissed objection). Written once here so every body that takes a reason refuses the same way,
 * with the issue on `reason`.
 */
import * as z from 'zod';

/** Free text a person writes: newlines allowed; other control characters and bidi overrides not. */
export const FreeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(
      (s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s.replace(/[\n\r\t]/g, '')),
      'must not contain control characters',
    );

/**
 * A body's refinement: when `needsReason(body)`, an empty or missing `reason` is an issue on
 * `reason` saying `message` (the caller's bilingual words). Pass it to `.superRefine(…)`.
 */
export function reasonRequired<Body extends { reason?: string | undefined }>(
  needsReason: (body: Body) => boolean,
  message: string,
): (body: Body, ctx: z.RefinementCtx) => void {
  return (body, ctx) => {
    if (needsReason(body) && !body.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message });
  };
}
