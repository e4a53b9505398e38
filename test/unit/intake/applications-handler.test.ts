import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campaignKey } from '../../../shared/adapters/dynamo-campaigns.ts';
import { keys } from '../../../shared/adapters/dynamo-records/keys.ts';
import { asBeforeSteps } from '../../../local/campaign-before-steps.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { ApplicationRecord } from '../../../shared/schemas/records.ts';
import { APP_ID, apiEvent, PEOPLE, sampleApplication, sampleEvidence } from '../support.ts';

process.env.TABLE_NAME = 'Records';
process.env.BUCKET_NAME = 'evidence-bucket';
process.env.STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:ReviewLadder';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
// Jilin's city with its on-site statement item (the campaign as the ladder ran before steps were data).
const campaign = asBeforeSteps(demoCampaign(new Date()));

type Handler = (event: ReturnType<typeof apiEvent>) => Promise<{ statusCode: number; body: string }>;
let applications: Handler;
let evidence: Handler;

beforeAll(async () => {
  applications = (await import('../../../functions/applications.ts')).handler;
  evidence = (await import('../../../functions/evidence.ts')).handler;
});

/** A request from Dunhua's county official unless another principal is named. */
const request = (
  routeKey: string,
  body?: unknown,
  pathParameters?: Record<string, string>,
  as: Principal = PEOPLE.dunhuaApplicant,
) => apiEvent(routeKey, { body, pathParameters, as });

const draft = (overrides: Partial<ApplicationRecord> = {}): ApplicationRecord =>
  sampleApplication({
    campaignId: campaign.campaignId,
    dueAt: campaign.calendar.submission ?? campaign.calendar.province,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...overrides,
  });

const body = (result: { body: string }) => JSON.parse(result.body);
const fieldsOf = (result: { body: string }) =>
  (body(result).error.details as { field: string }[]).map((detail) => detail.field);

/** Items the mocked GetCommand answers with, by key. */
const stored = new Map<string, Record<string, unknown>>();
const store = (key: { pk: string; sk: string }, item: Record<string, unknown>) =>
  stored.set(`${key.pk}|${key.sk}`, item);

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
  stored.clear();
  store(campaignKey(campaign.campaignId), { definition: campaign });
  ddb.on(GetCommand).callsFake(({ Key }) => ({ Item: stored.get(`${Key.pk}|${Key.sk}`) }));
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactWriteCommand).resolves({});
});

const newApplication = {
  campaignId: campaign.campaignId,
  track: 'recommendation',
  countyCode: '222403',
  clusterName: '敦化市医药产业集群',
  leadingIndustry: '医药',
  subSector: '中成药',
  form: { areaKm2: 86, outputByYear: [] },
};

describe('POST /v1/applications', () => {
  it('creates a draft with its checklist and review chain', async () => {
    const result = await applications(request('POST /v1/applications', newApplication));
    expect(result.statusCode).toBe(201);
    const created = body(result);
    expect(created).toMatchObject({
      status: 'DRAFT',
      provincialCode: '220000',
      cityCode: '222400',
      revision: 0,
    });
    expect(created.reviewChain.map((stage: { stage: string }) => stage.stage)).toEqual(['city', 'province', 'miit']);
    expect(created.checklist.map((item: { id: string }) => item.id)).toContain('application-form');
    expect(
      created.checklist.every(
        (item: { problem?: string; required: boolean }) => !item.required || item.problem === 'MISSING',
      ),
    ).toBe(true);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('answers 400 naming each bad field and writes nothing', async () => {
    const result = await applications(
      request('POST /v1/applications', {
        ...newApplication,
        countyCode: '22',
        clusterName: '',
        track: 'other',
        surprise: 1,
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(fieldsOf(result)).toEqual(expect.arrayContaining(['countyCode', 'clusterName', 'track']));
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a county code that names no county', async () => {
    const nowhere: Principal = { sub: 'applicant-229999', role: 'applicant', jurisdiction: '229999' };
    const result = await applications(
      request('POST /v1/applications', { ...newApplication, countyCode: '229999' }, undefined, nowhere),
    );
    expect(result.statusCode).toBe(400);
    expect(fieldsOf(result)).toEqual(['countyCode']);
  });

  it('refuses an application to a campaign whose deadline has passed (逾期不予受理)', async () => {
    const result = await applications(
      request('POST /v1/applications', { ...newApplication, campaignId: 'miit-2025-recommendation' }),
    );
    expect(result.statusCode).toBe(409);
    expect(body(result).error.code).toBe('DEADLINE_PASSED');
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('names an unknown campaign', async () => {
    const result = await applications(request('POST /v1/applications', { ...newApplication, campaignId: 'nope-2030' }));
    expect(result.statusCode).toBe(400);
    expect(body(result).error.details[0]).toMatchObject({ field: 'campaignId', code: 'UNKNOWN_CAMPAIGN' });
  });
});

describe('GET and PATCH /v1/applications/{applicationId}', () => {
  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await applications(
      request('GET /v1/applications/{applicationId}', undefined, { applicationId: APP_ID }),
    );
    expect(missing.statusCode).toBe(404);
    const malformed = await applications(
      request('GET /v1/applications/{applicationId}', undefined, { applicationId: 'x' }),
    );
    expect(malformed.statusCode).toBe(400);
    expect(fieldsOf(malformed)).toEqual(['path.applicationId']);
  });

  it('refuses edits once submitted', async () => {
    store(keys.application(APP_ID), draft({ status: 'SUBMITTED' }));
    const result = await applications(
      request('PATCH /v1/applications/{applicationId}', { clusterName: '新名称' }, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(409);
    expect(body(result).error.code).toBe('NOT_EDITABLE');
  });

  it('refuses on PATCH the co-located counties that create refuses: one rule for both', async () => {
    store(keys.application(APP_ID), draft());
    const bad = ['222403', '222400', '999999'];
    const patched = await applications(
      request('PATCH /v1/applications/{applicationId}', { coCountyCodes: bad }, { applicationId: APP_ID }),
    );
    expect(patched.statusCode).toBe(400);
    expect(fieldsOf(patched)).toEqual(['coCountyCodes.0', 'coCountyCodes.1', 'coCountyCodes.2']);
    const created = await applications(request('POST /v1/applications', { ...newApplication, coCountyCodes: bad }));
    expect(created.statusCode).toBe(400);
    expect(fieldsOf(created)).toEqual(fieldsOf(patched));
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);

    const fine = await applications(
      request('PATCH /v1/applications/{applicationId}', { coCountyCodes: ['222401'] }, { applicationId: APP_ID }),
    );
    expect(fine.statusCode, fine.body).toBe(200);
  });

  it('moves the cluster-name guard with a rename, in the same transaction as the save', async () => {
    const before = draft();
    store(keys.application(APP_ID), before);
    const result = await applications(
      request(
        'PATCH /v1/applications/{applicationId}',
        { clusterName: '敦化市 中药产业集群' },
        { applicationId: APP_ID },
      ),
    );
    expect(result.statusCode, result.body).toBe(200);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toContainEqual({
      Delete: expect.objectContaining({
        Key: keys.clusterGuard(before),
        ConditionExpression: 'attribute_not_exists(pk) OR applicationId = :id',
      }),
    });
    expect(items.at(-1)).toEqual({
      Put: expect.objectContaining({
        Item: { ...keys.clusterGuard({ ...before, clusterName: '敦化市中药产业集群' }), applicationId: APP_ID },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    });
  });

  it('refuses a rename to a name the county already filed: 409 DUPLICATE_APPLICATION', async () => {
    store(keys.application(APP_ID), draft());
    ddb.on(TransactWriteCommand).callsFake(({ TransactItems }: { TransactItems: unknown[] }) => {
      throw new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [
          ...TransactItems.slice(1).map(() => ({ Code: 'None' })),
          { Code: 'ConditionalCheckFailed' },
        ],
      });
    });
    const result = await applications(
      request(
        'PATCH /v1/applications/{applicationId}',
        { clusterName: '敦化市人参产业集群' },
        { applicationId: APP_ID },
      ),
    );
    expect(result.statusCode).toBe(409);
    expect(body(result).error.code).toBe('DUPLICATE_APPLICATION');
    expect(fieldsOf(result)).toEqual(['clusterName']);
  });

  it('keeps the guard where it is when the name is only respaced', async () => {
    store(keys.application(APP_ID), draft());
    const respaced = `${draft().clusterName.slice(0, 2)} ${draft().clusterName.slice(2)}`;
    const result = await applications(
      request('PATCH /v1/applications/{applicationId}', { clusterName: respaced }, { applicationId: APP_ID }),
    );
    expect(result.statusCode, result.body).toBe(200);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.some((item) => item.Delete !== undefined)).toBe(false);
  });

  it('merges form fields and bumps the revision conditionally', async () => {
    store(keys.application(APP_ID), draft({ form: { areaKm2: 86 } }));
    const result = await applications(
      request('PATCH /v1/applications/{applicationId}', { form: { enterpriseCount: 120 } }, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(200);
    expect(body(result)).toMatchObject({ revision: 1, form: { areaKm2: 86, enterpriseCount: 120 } });
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.ExpressionAttributeValues).toMatchObject({ ':revision': 0 });
  });
});

describe('POST /v1/applications/{applicationId}/submit', () => {
  it('answers 409 with every missing checklist item and form field', async () => {
    store(keys.application(APP_ID), draft());
    const result = await applications(
      request('POST /v1/applications/{applicationId}/submit', undefined, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(409);
    expect(body(result).error.code).toBe('SUBMISSION_INCOMPLETE');
    expect(fieldsOf(result)).toEqual(
      expect.arrayContaining(['checklist.application-form', 'checklist.core-competitiveness', 'form.contact']),
    );
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers 409 when already submitted, and starts nothing once the workflow has it', async () => {
    store(keys.application(APP_ID), draft({ status: 'CITY_REVIEW', stage: 'city', round: 1 }));
    const result = await applications(
      request('POST /v1/applications/{applicationId}/submit', undefined, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(409);
    expect(body(result).error.code).toBe('ALREADY_SUBMITTED');
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('on a repeated submit before the workflow took it, starts the execution again (409 all the same)', async () => {
    // The first request saved SUBMITTED and died before StartExecution: nothing would ever start it.
    store(keys.application(APP_ID), draft({ status: 'SUBMITTED', revision: 3 }));
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    const result = await applications(
      request('POST /v1/applications/{applicationId}/submit', undefined, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(409);
    expect(body(result).error.code).toBe('ALREADY_SUBMITTED');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: `${APP_ID}-r3` });
  });

  it('answers 409 RESUBMISSION_NOT_READY while the workflow is still recording a return', async () => {
    store(keys.application(APP_ID), draft({ status: 'RETURNED', stage: 'city', round: 1 }));
    const result = await applications(
      request('POST /v1/applications/{applicationId}/submit', undefined, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(409);
    expect(body(result).error.code).toBe('RESUBMISSION_NOT_READY');
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('hands a pending resubmission to the workflow again, and never shows the task token', async () => {
    store(
      keys.application(APP_ID),
      draft({ status: 'SUBMITTED', revision: 5, stage: 'city', round: 1, resubmissionToken: 'token-1' }),
    );
    const result = await applications(
      request('POST /v1/applications/{applicationId}/submit', undefined, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(202);
    expect(result.body).not.toContain('token-1');
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('GET /v1/applications/{applicationId} during the review ladder', () => {
  it('shows the stage and round, never the resubmission token', async () => {
    store(
      keys.application(APP_ID),
      draft({ status: 'RETURNED', revision: 4, stage: 'province', round: 2, resubmissionToken: 'secret-token' }),
    );
    const result = await applications(
      request('GET /v1/applications/{applicationId}', undefined, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(200);
    expect(body(result)).toMatchObject({ status: 'RETURNED', stage: 'province', round: 2 });
    expect(result.body).not.toContain('secret-token');
  });
});

describe('POST /v1/applications/{applicationId}/evidence', () => {
  const upload = {
    criterion: 'application-form',
    fileName: '申报表.pdf',
    contentType: 'application/pdf',
    size: 2048,
  };

  it('returns a presigned POST for exactly the declared size and type', async () => {
    store(keys.application(APP_ID), draft());
    const result = await evidence(
      request('POST /v1/applications/{applicationId}/evidence', upload, { applicationId: APP_ID }),
    );
    expect(result.statusCode).toBe(201);
    const created = body(result);
    expect(created.status).toBe('PENDING');
    expect(created.upload.fields.key).toBe(`evidence/${APP_ID}/${created.evidenceId}`);
    expect(created.upload.fields['Content-Type']).toBe('application/pdf');
    const policy = JSON.parse(Buffer.from(created.upload.fields.Policy, 'base64').toString());
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 2048, 2048],
        ['eq', '$Content-Type', 'application/pdf'],
      ]),
    );
    const expiresInMs = new Date(policy.expiration).getTime() - Date.now();
    expect(expiresInMs).toBeGreaterThan(0);
    expect(expiresInMs).toBeLessThanOrEqual(15 * 60 * 1000);
  });

  it('refuses a type the checklist item does not accept, a wrong extension and an oversize file', async () => {
    store(keys.application(APP_ID), draft());
    const wrongType = await evidence(
      request(
        'POST /v1/applications/{applicationId}/evidence',
        { ...upload, contentType: 'image/png', fileName: 'scan.png' },
        { applicationId: APP_ID },
      ),
    );
    expect(wrongType.statusCode).toBe(400);
    expect(fieldsOf(wrongType)).toEqual(['contentType']);
    const wrongName = await evidence(
      request(
        'POST /v1/applications/{applicationId}/evidence',
        { ...upload, fileName: 'form.exe' },
        { applicationId: APP_ID },
      ),
    );
    expect(fieldsOf(wrongName)).toEqual(['fileName']);
    const huge = await evidence(
      request(
        'POST /v1/applications/{applicationId}/evidence',
        { ...upload, size: 2 ** 40 },
        { applicationId: APP_ID },
      ),
    );
    expect(fieldsOf(huge)).toEqual(['size']);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('takes the on-site check statement from the city’s reviewers during its review, not from the county', async () => {
    const statement = {
      criterion: 'onsite-check-statement',
      fileName: '现场核查符合性说明.pdf',
      contentType: 'application/pdf',
      size: 4096,
    };
    const ask = (who: Principal) =>
      evidence(request('POST /v1/applications/{applicationId}/evidence', statement, { applicationId: APP_ID }, who));
    store(keys.application(APP_ID), draft({ status: 'CITY_REVIEW' }));
    // The county, the province above the city and another city may not: the statement is the city's.
    for (const who of [
      PEOPLE.dunhuaApplicant,
      PEOPLE.jilinReviewer,
      { sub: 'reviewer-220100', role: 'reviewer', jurisdiction: '220100' } as const,
    ]) {
      const refused = await ask(who);
      expect(refused.statusCode, who.sub).toBe(403);
      expect(body(refused).error.code).toBe('FORBIDDEN');
    }
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);

    store(keys.application(APP_ID), draft());
    const beforeReview = await ask(PEOPLE.yanbianReviewer);
    expect(beforeReview.statusCode).toBe(409);
    expect(body(beforeReview).error.code).toBe('NOT_EDITABLE');

    store(keys.application(APP_ID), draft({ status: 'CITY_REVIEW' }));
    const fromCity = await ask(PEOPLE.yanbianReviewer);
    expect(fromCity.statusCode).toBe(201);
    const condition = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.ConditionCheck;
    expect(condition?.ExpressionAttributeValues).toEqual({ ':s0': 'CITY_REVIEW' });
  });

  it('refuses hostile file names', async () => {
    store(keys.application(APP_ID), draft());
    for (const fileName of ['../../etc/passwd.pdf', 'a\u202Efdp.exe', `${'长'.repeat(90)}.pdf`, 'bell\u0007.pdf']) {
      const result = await evidence(
        request('POST /v1/applications/{applicationId}/evidence', { ...upload, fileName }, { applicationId: APP_ID }),
      );
      expect(result.statusCode, fileName).toBe(400);
      expect(fieldsOf(result)).toContain('fileName');
    }
  });
});

/**
 * Who may do what to Dunhua's (222403) application, under 延边州 (222400) in 吉林省 (220000).
 * Every refusal is a 403 FORBIDDEN that writes nothing, starts nothing and reads no further.
 */
describe('authorisation', () => {
  const yanjiApplicant: Principal = { sub: 'applicant-222401', role: 'applicant', jurisdiction: '222401' };
  const changchunReviewer: Principal = { sub: 'reviewer-220100', role: 'reviewer', jurisdiction: '220100' };
  const liaoningOperator: Principal = { sub: 'operator-210000', role: 'operator', jurisdiction: '210000' };
  const path = { applicationId: APP_ID };
  const upload = { criterion: 'application-form', fileName: '申报表.pdf', contentType: 'application/pdf', size: 2048 };
  /** The function that serves a route, as the route table says. */
  const serve = (event: ReturnType<typeof apiEvent>) =>
    event.routeKey.includes('/evidence') ? evidence(event) : applications(event);

  /** The audit event written by the only transaction, as the table receives it. */
  const writtenAudit = () =>
    ddb
      .commandCalls(TransactWriteCommand)[0]
      ?.args[0].input.TransactItems?.map((item) => item.Put?.Item)
      .find((item) => item?.action !== undefined);

  const expectForbidden = (result: { statusCode: number; body: string }, who: string) => {
    expect(result.statusCode, who).toBe(403);
    expect(body(result).error, who).toMatchObject({ code: 'FORBIDDEN', details: [{ field: 'authorization' }] });
  };
  const expectNothingWritten = () => {
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  };

  describe('POST /v1/applications (file: the applicant county’s own official)', () => {
    it('records the signed-in official in the audit trail', async () => {
      const result = await applications(request('POST /v1/applications', newApplication));
      expect(result.statusCode).toBe(201);
      expect(writtenAudit()).toMatchObject({
        action: 'APPLICATION_CREATED',
        actor: 'applicant-222403',
        role: 'applicant',
        jurisdiction: '222403',
        requestId: 'req-1',
      });
    });

    it('refuses other counties, co-located counties, reviewers and operators', async () => {
      const refusals: [string, Principal, Record<string, unknown>][] = [
        ['unrelated county', PEOPLE.hebeiApplicant, newApplication],
        ['sibling county', yanjiApplicant, newApplication],
        ['co-located county', yanjiApplicant, { ...newApplication, coCountyCodes: ['222401'] }],
        ['the city above', PEOPLE.yanbianReviewer, newApplication],
        ['national operator', PEOPLE.nationalOperator, newApplication],
      ];
      for (const [who, principal, filed] of refusals) {
        expectForbidden(await applications(request('POST /v1/applications', filed, undefined, principal)), who);
      }
      expectNothingWritten();
    });

    it('refuses a reviewer before reading the body', async () => {
      const result = await applications(
        request('POST /v1/applications', { surprise: 1 }, undefined, PEOPLE.yanbianReviewer),
      );
      expectForbidden(result, 'reviewer');
    });
  });

  describe('reading: its county, reviewers above it, operators over it', () => {
    const reads = [
      'GET /v1/applications/{applicationId}',
      'GET /v1/applications/{applicationId}/history',
      'GET /v1/applications/{applicationId}/evidence',
    ];

    it('answers the county, the city and province reviewers, MIIT and the province’s operator', async () => {
      store(keys.application(APP_ID), draft());
      for (const routeKey of reads) {
        for (const principal of [
          PEOPLE.dunhuaApplicant,
          PEOPLE.yanbianReviewer,
          PEOPLE.jilinReviewer,
          PEOPLE.miitReviewer,
          PEOPLE.jilinOperator,
          PEOPLE.nationalOperator,
        ]) {
          const result = await serve(request(routeKey, undefined, path, principal));
          expect(result.statusCode, `${routeKey} as ${principal.sub}`).toBe(200);
        }
      }
    });

    it('refuses sibling and unrelated counties, cities and provinces, and reads nothing more', async () => {
      store(keys.application(APP_ID), draft());
      for (const routeKey of reads) {
        for (const principal of [yanjiApplicant, PEOPLE.hebeiApplicant, changchunReviewer, liaoningOperator]) {
          expectForbidden(
            await serve(request(routeKey, undefined, path, principal)),
            `${routeKey} as ${principal.sub}`,
          );
        }
      }
      // Neither the evidence nor the audit trail (both queried) was read.
      expect(ddb).not.toHaveReceivedCommand(QueryCommand);
    });

    it('answers 404 for an application that does not exist, whoever asks', async () => {
      const result = await applications(
        request('GET /v1/applications/{applicationId}', undefined, path, PEOPLE.hebeiApplicant),
      );
      expect(result.statusCode).toBe(404);
    });
  });

  describe('acting as the applicant: PATCH, evidence, submit', () => {
    const acts = [
      ['PATCH /v1/applications/{applicationId}', { clusterName: '新名称' }],
      ['POST /v1/applications/{applicationId}/evidence', upload],
      ['POST /v1/applications/{applicationId}/submit', undefined],
    ] as const;

    it('names the county official in the audit trail of an edit and an upload request', async () => {
      store(keys.application(APP_ID), draft());
      expect(
        (await applications(request('PATCH /v1/applications/{applicationId}', { clusterName: '新名称' }, path)))
          .statusCode,
      ).toBe(200);
      expect(writtenAudit()).toMatchObject({
        action: 'FORM_UPDATED',
        actor: 'applicant-222403',
        role: 'applicant',
        jurisdiction: '222403',
      });
      ddb.resetHistory();
      expect((await evidence(request('POST /v1/applications/{applicationId}/evidence', upload, path))).statusCode).toBe(
        201,
      );
      expect(writtenAudit()).toMatchObject({
        action: 'EVIDENCE_REQUESTED',
        actor: 'applicant-222403',
        role: 'applicant',
      });
    });

    it('refuses the reviewers and operators above it and other counties, writing nothing', async () => {
      store(keys.application(APP_ID), draft());
      for (const [routeKey, sent] of acts) {
        for (const principal of [
          PEOPLE.yanbianReviewer,
          PEOPLE.jilinReviewer,
          PEOPLE.jilinOperator,
          PEOPLE.nationalOperator,
          yanjiApplicant,
          PEOPLE.hebeiApplicant,
        ]) {
          expectForbidden(await serve(request(routeKey, sent, path, principal)), `${routeKey} as ${principal.sub}`);
        }
      }
      expectNothingWritten();
    });

    it('refuses before reading the body: a stranger’s bad body is 403, not 400', async () => {
      store(keys.application(APP_ID), draft());
      const patched = await applications(
        request('PATCH /v1/applications/{applicationId}', { surprise: 1 }, path, PEOPLE.yanbianReviewer),
      );
      expectForbidden(patched, 'patch');
      const uploaded = await evidence(
        request('POST /v1/applications/{applicationId}/evidence', { criterion: 'x' }, path, PEOPLE.hebeiApplicant),
      );
      expectForbidden(uploaded, 'evidence');
    });

    it('does not restart a stalled submission for a stranger', async () => {
      store(keys.application(APP_ID), draft({ status: 'SUBMITTED', revision: 3 }));
      const result = await applications(
        request('POST /v1/applications/{applicationId}/submit', undefined, path, PEOPLE.jilinOperator),
      );
      expectForbidden(result, 'operator');
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    });
  });

  it('answers 401 on every route without a signed-in principal', async () => {
    store(keys.application(APP_ID), draft());
    const routes = [
      ['POST /v1/applications', newApplication, undefined],
      ['GET /v1/applications/{applicationId}', undefined, path],
      ['GET /v1/applications/{applicationId}/history', undefined, path],
      ['PATCH /v1/applications/{applicationId}', { clusterName: '新名称' }, path],
      ['POST /v1/applications/{applicationId}/submit', undefined, path],
      ['POST /v1/applications/{applicationId}/evidence', upload, path],
      ['GET /v1/applications/{applicationId}/evidence', undefined, path],
    ] as const;
    for (const [routeKey, sent, pathParameters] of routes) {
      const result = await serve(apiEvent(routeKey, { body: sent, pathParameters }));
      expect(result.statusCode, routeKey).toBe(401);
      expect(body(result).error.code, routeKey).toBe('UNAUTHENTICATED');
    }
    expectNothingWritten();
  });
});

describe('Idempotency-Key on the POSTs that create something', () => {
  const KEY = '6f1c2b9e-8d4a-4c3b-9a1e-2f7d5c8b0a13';
  const upload = { criterion: 'application-form', fileName: '申报表.pdf', contentType: 'application/pdf', size: 2048 };
  const evidencePath = { applicationId: APP_ID };
  const EVIDENCE_ROUTE = 'POST /v1/applications/{applicationId}/evidence';

  /** The request with an Idempotency-Key header, as payload 2.0 passes it (lower-case name). */
  const keyed = <E extends ReturnType<typeof apiEvent>>(event: E, key: string = KEY): E => ({
    ...event,
    headers: { ...event.headers, 'idempotency-key': key },
  });
  const create = (key?: string, overrides: Record<string, unknown> = {}, as: Principal = PEOPLE.dunhuaApplicant) => {
    const event = request('POST /v1/applications', { ...newApplication, ...overrides }, undefined, as);
    return applications(key === undefined ? event : keyed(event, key));
  };
  const requestUpload = (key?: string, overrides: Record<string, unknown> = {}) => {
    const event = request(EVIDENCE_ROUTE, { ...upload, ...overrides }, evidencePath);
    return evidence(key === undefined ? event : keyed(event, key));
  };

  /** The table as the mocked transactions leave it: every Put lands in `stored`. */
  const persistTransactions = () =>
    ddb
      .on(TransactWriteCommand)
      .callsFake(({ TransactItems }: { TransactItems: { Put?: { Item: Record<string, unknown> } }[] }) => {
        for (const item of TransactItems) {
          if (item.Put) store(item.Put.Item as { pk: string; sk: string }, item.Put.Item);
        }
        return {};
      });
  const transactItems = (call = 0) => ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input.TransactItems ?? [];
  const markerKey = (sk: string) => ({ pk: `IDEMP#applicant-222403#${KEY}`, sk });
  const CREATE_SK = 'CREATE#POST /v1/applications';
  const EVIDENCE_SK = 'EVIDENCE#POST /v1/applications/{applicationId}/evidence';

  it('answers a deeply nested form with a key 400 naming the field, not 500, and writes nothing', async () => {
    // As a client would send it: JSON text 20 000 objects deep (JSON.stringify would not get there).
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const createBody = `${JSON.stringify(newApplication).slice(0, -1)},"form":${deep}}`.replace(
      /"form":\{[^}]*\},/,
      '',
    );
    const event = request('POST /v1/applications', createBody);
    for (const sent of [keyed(event), event]) {
      const result = await applications(sent);
      expect(result.statusCode, result.body).toBe(400);
      expect(fieldsOf(result)).toEqual([`form.${Array.from({ length: 8 }, () => 'a').join('.')}`]);
    }
    store(keys.application(APP_ID), draft());
    const patched = await applications(
      request('PATCH /v1/applications/{applicationId}', `{"form":{"contact":${deep}}}`, { applicationId: APP_ID }),
    );
    expect(patched.statusCode, patched.body).toBe(400);
    expect(fieldsOf(patched)[0]).toMatch(/^form\.contact\.a/);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a malformed key with 400 naming header.idempotency-key, writing nothing', async () => {
    for (const bad of ['', 'has space', 'a/b', 'ключ', 'x'.repeat(129), `${KEY},${KEY}`]) {
      const result = await create(bad);
      expect(result.statusCode, bad).toBe(400);
      expect(fieldsOf(result), bad).toEqual(['header.idempotency-key']);
    }
    store(keys.application(APP_ID), draft());
    const onEvidence = await requestUpload('not a key!');
    expect(onEvidence.statusCode).toBe(400);
    expect(fieldsOf(onEvidence)).toEqual(['header.idempotency-key']);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    // 128 characters of the allowed alphabet is a key.
    expect((await create('A-_9'.repeat(32))).statusCode).toBe(201);
  });

  it('checks the principal before the key: a stranger with a bad key is 403', async () => {
    const result = await create('bad key', {}, PEOPLE.yanbianReviewer);
    expect(result.statusCode).toBe(403);
  });

  it('stores the marker in the transaction that creates the draft, only if the key is unused', async () => {
    const result = await create(KEY);
    expect(result.statusCode).toBe(201);
    const { applicationId } = body(result);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = transactItems();
    const marker = items.find((item) => String(item.Put?.Item?.pk).startsWith('IDEMP#'))?.Put;
    expect(marker).toMatchObject({
      Item: { ...markerKey(CREATE_SK), route: 'CREATE', key: KEY, sub: 'applicant-222403', applicationId },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(marker?.Item?.requestHash).toMatch(/^[0-9a-f]{64}$/);
    const item = marker?.Item ?? {};
    expect(Date.parse(String(item.expiresAt)) - Date.parse(String(item.createdAt))).toBe(24 * 60 * 60 * 1000);
    // The same transaction creates the draft.
    expect(items.some((entry) => entry.Put?.Item?.pk === `APP#${applicationId}` && entry.Put.Item.sk === 'APP')).toBe(
      true,
    );
  });

  it('answers a repeat with the same draft, writing nothing more', async () => {
    persistTransactions();
    const first = await create(KEY);
    // The same body with its keys in another order is the same request.
    const { form, ...rest } = newApplication;
    const again = await applications(keyed(request('POST /v1/applications', { form, ...rest })));
    expect(again.statusCode).toBe(201);
    expect(body(again)).toMatchObject({
      applicationId: body(first).applicationId,
      status: 'DRAFT',
      revision: 0,
      cityCode: '222400',
    });
    expect(body(again).checklist.map((item: { id: string }) => item.id)).toEqual(
      body(first).checklist.map((item: { id: string }) => item.id),
    );
    expect(body(again).reviewChain).toEqual(body(first).reviewChain);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, writing nothing', async () => {
    persistTransactions();
    await create(KEY);
    const other = await create(KEY, { clusterName: '敦化市另一产业集群' });
    expect(other.statusCode).toBe(422);
    expect(body(other).error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: [{ field: 'header.idempotency-key', code: 'IDEMPOTENCY_KEY_REUSED' }],
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('scopes the key by route: the same key on an evidence request is another request', async () => {
    persistTransactions();
    await create(KEY);
    store(keys.application(APP_ID), draft());
    const result = await requestUpload(KEY);
    expect(result.statusCode).toBe(201);
    expect(transactItems(1).find((item) => String(item.Put?.Item?.pk).startsWith('IDEMP#'))?.Put?.Item).toMatchObject(
      markerKey(EVIDENCE_SK),
    );
  });

  it('loses a race to a request with the same key: answers as its repeat', async () => {
    const winner = '3c9d6a2e-1f4b-4e8a-b7c5-9d0e2a4f6b18';
    ddb
      .on(TransactWriteCommand)
      .callsFake(({ TransactItems }: { TransactItems: { Put?: { Item: Record<string, unknown> } }[] }) => {
        const marker = TransactItems[0]?.Put?.Item ?? {};
        // The winner committed first: its marker (the same request) and its draft.
        store(markerKey(CREATE_SK), { ...marker, applicationId: winner });
        store(keys.application(winner), draft({ applicationId: winner }));
        throw new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }],
        });
      });
    const result = await create(KEY);
    expect(result.statusCode).toBe(201);
    expect(body(result).applicationId).toBe(winner);
  });

  it('without the header, reads and writes no marker', async () => {
    const result = await create();
    expect(result.statusCode).toBe(201);
    expect(transactItems().some((item) => String(item.Put?.Item?.pk).startsWith('IDEMP#'))).toBe(false);
    expect(ddb.commandCalls(GetCommand).some((call) => String(call.args[0].input.Key?.pk).startsWith('IDEMP#'))).toBe(
      false,
    );
  });

  describe('evidence', () => {
    beforeEach(() => {
      store(keys.application(APP_ID), draft());
      ddb.on(UpdateCommand).callsFake(({ Key, ExpressionAttributeValues }) => ({
        Attributes: { ...stored.get(`${Key.pk}|${Key.sk}`), uploadExpiresAt: ExpressionAttributeValues[':at'] },
      }));
    });

    it('stores the marker with the evidence item in one transaction', async () => {
      const result = await requestUpload(KEY);
      expect(result.statusCode).toBe(201);
      const items = transactItems();
      expect(items[0]?.Put).toMatchObject({
        Item: {
          ...markerKey(EVIDENCE_SK),
          route: 'EVIDENCE',
          applicationId: APP_ID,
          evidenceId: body(result).evidenceId,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      expect(items.some((item) => item.Put?.Item?.sk === `EVIDENCE#${body(result).evidenceId}`)).toBe(true);
    });

    it('answers a repeat with the same item and a fresh link to the same object, moving its deadline', async () => {
      persistTransactions();
      const first = await requestUpload(KEY);
      const again = await requestUpload(KEY);
      expect(again.statusCode).toBe(201);
      const { evidenceId, objectKey } = body(first);
      expect(body(again)).toMatchObject({ evidenceId, objectKey, status: 'PENDING' });
      expect(body(again).upload.fields.key).toBe(objectKey);
      expect(body(again).upload.expiresAt).toBe(body(again).uploadExpiresAt);
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        Key: keys.evidence(APP_ID, evidenceId),
        ConditionExpression: '#status = :pending AND attribute_not_exists(validatedSequencer)',
      });
    });

    it('answers as the repeat of a request with the same key that added its item after the key was checked', async () => {
      persistTransactions();
      const first = await requestUpload(KEY);
      const { evidenceId } = body(first);
      const markerId = `${markerKey(EVIDENCE_SK).pk}|${EVIDENCE_SK}`;
      const marker = stored.get(markerId) ?? {};
      const item = stored.get(`APP#${APP_ID}|EVIDENCE#${evidenceId}`);
      // The winner commits between this request's key check and its file count.
      stored.delete(markerId);
      ddb.on(QueryCommand).callsFake(() => {
        stored.set(markerId, marker);
        return { Items: [item] };
      });
      const again = await requestUpload(KEY);
      expect(again.statusCode, again.body).toBe(201);
      expect(body(again).evidenceId).toBe(evidenceId);
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });

    it('answers 409 IDEMPOTENT_REQUEST_DONE once the item was uploaded, naming its status', async () => {
      persistTransactions();
      const first = await requestUpload(KEY);
      const { evidenceId } = body(first);
      store(keys.evidence(APP_ID, evidenceId), {
        ...sampleEvidence({ evidenceId, status: 'VALID', validatedSequencer: '0055AED6DCD90281E5' }),
      });
      const again = await requestUpload(KEY);
      expect(again.statusCode).toBe(409);
      expect(body(again).error).toMatchObject({
        code: 'IDEMPOTENT_REQUEST_DONE',
        details: [{ field: 'header.idempotency-key', evidenceId, status: 'VALID' }],
      });
      expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });

    it('answers 422 for the same key with another file, and for another application', async () => {
      persistTransactions();
      await requestUpload(KEY);
      const otherFile = await requestUpload(KEY, { fileName: '申报表-v2.pdf' });
      expect(otherFile.statusCode).toBe(422);
      expect(body(otherFile).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const otherId = '5e2a7c1d-3b8f-4d6a-9c0e-1f2b3a4c5d6e';
      store(keys.application(otherId), draft({ applicationId: otherId }));
      const otherApplication = await evidence(keyed(request(EVIDENCE_ROUTE, upload, { applicationId: otherId })));
      expect(otherApplication.statusCode).toBe(422);
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });

    it('without the header, behaves as before: a new item each time', async () => {
      persistTransactions();
      const first = await requestUpload();
      const second = await requestUpload();
      expect(body(first).evidenceId).not.toBe(body(second).evidenceId);
      expect(transactItems().some((item) => String(item.Put?.Item?.pk).startsWith('IDEMP#'))).toBe(false);
    });
  });
});
