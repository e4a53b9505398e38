import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CLAIMS, type Principal } from '../../shared/platform/auth/principal.ts';
import type { ApplicationRecord, EvidenceRecord } from '../../shared/schemas/records.ts';

/** Fixtures shared by the unit tests: an HTTP API event and records as the table holds them. */

export const APP_ID = '0b6f3b7e-4c1a-4d7e-9a57-2f3a1c0d9e11';
export const EVIDENCE_ID = '7d0c2d7a-52a4-4b8f-8a0e-3c0e9d51f0a2';

/** People signed in, as the unit tests name them: Dunhua's county official and those above it. */
export const PEOPLE = {
  dunhuaApplicant: { sub: 'applicant-222403', role: 'applicant', jurisdiction: '222403' },
  yanbianReviewer: { sub: 'reviewer-222400', role: 'reviewer', jurisdiction: '222400' },
  jilinReviewer: { sub: 'reviewer-220000', role: 'reviewer', jurisdiction: '220000' },
  miitReviewer: { sub: 'reviewer-000000', role: 'reviewer', jurisdiction: '000000' },
  jilinOperator: { sub: 'operator-220000', role: 'operator', jurisdiction: '220000' },
  nationalOperator: { sub: 'operator-000000', role: 'operator', jurisdiction: '000000' },
  /** A county of Hebei: unrelated to everything in Jilin. */
  hebeiApplicant: { sub: 'applicant-130102', role: 'applicant', jurisdiction: '130102' },
  /** Hebei's operators: a province with no cluster owing an annual report (its forwarding goes through). */
  hebeiOperator: { sub: 'operator-130000', role: 'operator', jurisdiction: '130000' },
} as const satisfies Record<string, Principal>;

/** The claims the HTTP API's JWT authorizer hands over for a principal (strings, as Cognito's). */
export const claimsOf = (principal: Principal): Record<string, string> => ({
  sub: principal.sub,
  [CLAIMS.role]: principal.role,
  [CLAIMS.jurisdiction]: principal.jurisdiction,
  token_use: 'id',
});

/**
 * An API Gateway HTTP API (payload 2.0) event as the route table's routes receive it; with `as`,
 * as the JWT authorizer passes it on for that principal.
 */
export function apiEvent(
  routeKey: string,
  options: {
    body?: unknown;
    pathParameters?: Record<string, string>;
    query?: Record<string, string>;
    as?: Principal;
  } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
    pathParameters: options.pathParameters,
    queryStringParameters: options.query,
    requestContext: {
      requestId: 'req-1',
      ...(options.as && { authorizer: { jwt: { claims: claimsOf(options.as), scopes: null } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
  };
}

/** A Jilin county's draft (敦化市, under 延边州). */
export function sampleApplication(overrides: Partial<ApplicationRecord> = {}): ApplicationRecord {
  return {
    applicationId: APP_ID,
    campaignId: 'demo-2026-recommendation',
    track: 'recommendation',
    countyCode: '222403',
    provincialCode: '220000',
    cityCode: '222400',
    clusterName: '敦化市医药产业集群',
    leadingIndustry: '医药',
    subSector: '中成药',
    coCountyCodes: [],
    form: {},
    status: 'DRAFT',
    revision: 0,
    dueAt: '2026-12-07T23:59:59+08:00',
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    ...overrides,
  };
}

/** A PDF evidence request waiting for its upload. */
export function sampleEvidence(overrides: Partial<EvidenceRecord> = {}): EvidenceRecord {
  return {
    applicationId: APP_ID,
    evidenceId: EVIDENCE_ID,
    criterion: 'application-form',
    fileName: '申报表.pdf',
    contentType: 'application/pdf',
    fileType: 'pdf',
    declaredSize: 1234,
    maxBytes: 20 * 1024 * 1024,
    objectKey: `evidence/${APP_ID}/${EVIDENCE_ID}`,
    status: 'PENDING',
    requestedAt: '2026-11-23T00:00:00.000Z',
    uploadExpiresAt: '2026-11-23T00:15:00.000Z',
    findings: [],
    warnings: [],
    ...overrides,
  };
}
