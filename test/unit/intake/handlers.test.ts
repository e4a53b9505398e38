import { describe, expect, it, vi } from 'vitest';
import { type ApplicationsHandlerDeps, makeApplicationsHandler } from '../../../shared/intake/handlers.ts';
import { makeJurisdictionsHandler } from '../../../shared/intake/jurisdictions-handler.ts';
import type { Intake } from '../../../shared/intake/intake.ts';
import { ValidationError } from '../../../shared/platform/errors.ts';
import { APP_ID, apiEvent, PEOPLE } from '../support.ts';

/*
 * The intake handlers built from fakes: no environment, no SDK client. What is checked here is
 * the handler's own part: what it takes from the request, what it hands to Intake, how it answers.
 */

type Created = Awaited<ReturnType<Intake['create']>>;

const notCalled = () => Promise.reject(new Error('not expected in this test'));

function fakeIntake(create: ApplicationsHandlerDeps['intake']['create']): ApplicationsHandlerDeps['intake'] {
  return {
    create,
    get: vi.fn(notCalled),
    history: vi.fn(notCalled),
    patch: vi.fn(notCalled),
    submit: vi.fn(notCalled),
  };
}

const body = (result: { body: string }) => JSON.parse(result.body) as Record<string, unknown>;

describe('makeApplicationsHandler', () => {
  const draft = { applicationId: APP_ID, status: 'DRAFT', checklist: [] } as unknown as Created;

  it('creates a draft through Intake: 201, the body, the caller and the Idempotency-Key handed over', async () => {
    const create = vi.fn(async () => draft);
    const handler = makeApplicationsHandler({ intake: fakeIntake(create) });
    const input = { campaignId: 'demo-2026', track: 'recommendation', countyCode: '222403' };
    const event = apiEvent('POST /v1/applications', { body: input, as: PEOPLE.dunhuaApplicant });

    const result = await handler({ ...event, headers: { 'idempotency-key': 'key-1' } });

    expect(result.statusCode).toBe(201);
    expect(body(result)).toEqual({ applicationId: APP_ID, status: 'DRAFT', checklist: [] });
    expect(create).toHaveBeenCalledWith(
      input,
      { principal: PEOPLE.dunhuaApplicant, requestId: 'req-1' },
      { idempotencyKey: 'key-1' },
    );
  });

  it('answers 400 naming the bad path parameter, before Intake is asked', async () => {
    const intake = fakeIntake(vi.fn(notCalled));
    const handler = makeApplicationsHandler({ intake });

    const result = await handler(
      apiEvent('GET /v1/applications/{applicationId}', {
        pathParameters: { applicationId: 'not-a-uuid' },
        as: PEOPLE.dunhuaApplicant,
      }),
    );

    expect(result.statusCode).toBe(400);
    const error = body(result).error as { code: string; details: { field: string }[] };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((detail) => detail.field)).toEqual(['path.applicationId']);
    expect(intake.get).not.toHaveBeenCalled();
  });

  it("maps Intake's own refusal through the one error mapper: 400 with the field Intake named", async () => {
    const refusal = new ValidationError('Unknown campaign nope', [
      { field: 'campaignId', code: 'UNKNOWN_CAMPAIGN', message: 'no campaign has id nope' },
    ]);
    const handler = makeApplicationsHandler({ intake: fakeIntake(vi.fn(() => Promise.reject(refusal))) });

    const result = await handler(
      apiEvent('POST /v1/applications', { body: { campaignId: 'nope' }, as: PEOPLE.dunhuaApplicant }),
    );

    expect(result.statusCode).toBe(400);
    expect(body(result)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Unknown campaign nope',
        details: [{ field: 'campaignId', code: 'UNKNOWN_CAMPAIGN', message: 'no campaign has id nope' }],
      },
    });
  });

  it('answers 401 when the request carries no principal', async () => {
    const create = vi.fn(async () => draft);
    const handler = makeApplicationsHandler({ intake: fakeIntake(create) });
    const result = await handler(apiEvent('POST /v1/applications', { body: {} }));
    expect(result.statusCode).toBe(401);
    expect(create).not.toHaveBeenCalled();
  });
});

describe('makeJurisdictionsHandler', () => {
  it('answers a county with its parents and review stages, from the reference data alone', async () => {
    const result = await makeJurisdictionsHandler()(
      apiEvent('GET /v1/jurisdictions/{code}', { pathParameters: { code: '222403' }, as: PEOPLE.dunhuaApplicant }),
    );
    expect(result.statusCode).toBe(200);
    const jurisdiction = body(result) as { code: string; parents: { code: string }[]; reviewStages: unknown[] };
    expect(jurisdiction.code).toBe('222403');
    expect(jurisdiction.parents.map((parent) => parent.code)).toEqual(expect.arrayContaining(['222400', '220000']));
    expect(jurisdiction.reviewStages.length).toBeGreaterThan(0);
  });
});
