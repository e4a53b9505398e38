import * as z from 'zod';
import { DivisionCodeSchema } from '../../schemas/common.ts';

/**
 * Who is signed in, from the token's claims: a Cognito user in AWS (custom attributes), the local
 * issuer's token locally (local/auth.ts). The same claims in both, so the domain checks one shape.
 *
 *   role          applicant | reviewer | operator
 *   jurisdiction  GB/T 2260 code: the applicant's county; the reviewer's city, provincial-rank
 *                 jurisdiction or 000000 (MIIT); the operator's scope, 000000 (national) or one
 *                 provincial-rank code.
 */
export const PRINCIPAL_ROLES = ['applicant', 'reviewer', 'operator'] as const;
export const PrincipalRoleSchema = z.enum(PRINCIPAL_ROLES);
export type PrincipalRole = z.infer<typeof PrincipalRoleSchema>;

/** A signed-in person's request: the principal the rules check and the audit trail names. */
export interface Caller {
  principal: Principal;
  requestId: string;
}

/** The claim names: Cognito prefixes custom attributes with `custom:`. */
export const CLAIMS = { role: 'custom:role', jurisdiction: 'custom:jurisdiction' } as const;

export const PrincipalSchema = z.object({
  sub: z.string().min(1).max(128),
  role: PrincipalRoleSchema,
  jurisdiction: DivisionCodeSchema,
  /** For the audit trail only; never used to decide. */
  name: z.string().max(128).optional(),
});
export type Principal = z.infer<typeof PrincipalSchema>;

const ClaimsSchema = z.object({
  sub: z.string().min(1).max(128),
  [CLAIMS.role]: PrincipalRoleSchema,
  [CLAIMS.jurisdiction]: DivisionCodeSchema,
  name: z.string().max(128).optional(),
  email: z.string().max(254).optional(),
});

/** The principal behind verified claims, or undefined when they do not name a role and jurisdiction. */
export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal | undefined {
  const parsed = ClaimsSchema.safeParse(claims ?? {});
  if (!parsed.success) return undefined;
  const { sub, name } = parsed.data;
  return {
    sub,
    role: parsed.data[CLAIMS.role],
    jurisdiction: parsed.data[CLAIMS.jurisdiction],
    ...(name !== undefined && { name }),
  };
}
