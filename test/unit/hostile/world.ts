import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { sampleRecommendationForm } from '../../../local/sample-evidence.ts';
import { DynamoCampaigns } from '../../../shared/adapters/dynamo-campaigns.ts';
import { keys as recordKeys } from '../../../shared/adapters/dynamo-records/keys.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { ObjectionItems } from '../../../shared/adapters/dynamo-reviews/objections.ts';
import { DynamoRevocations } from '../../../shared/adapters/dynamo-revocations.ts';
import { openKeyOf, type RevocationRequest } from '../../../shared/revocation/request.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { DynamoPackages } from '../../../shared/adapters/dynamo-packages.ts';
import { DynamoRegister } from '../../../shared/adapters/dynamo-register.ts';
import { seedRegister } from '../../../shared/register/seed.ts';
import { packageKeys } from '../../../shared/package/keys.ts';
import { S3UploadSigner } from '../../../shared/adapters/s3-upload-signer.ts';
import type { HttpResult } from '../../../shared/platform/http/respond.ts';
import { type ApiFunctionName, API_FUNCTIONS } from '../../../shared/platform/functions.ts';
import { DynamoAnnualReports } from '../../../shared/adapters/dynamo-annual-reports.ts';
import { currentReportYear } from '../../../shared/annual-report/cycle.ts';
import { annualReportFileKey } from '../../../shared/annual-report/report.ts';
import { REMINDER_RULES } from '../../../shared/rules/reminders.ts';
import type { Campaign } from '../../../shared/rules/campaign.ts';
import { effectiveRules } from '../../../shared/rules/effective-rules.ts';
import type { ApplicationRecord, AuditEvent, EvidenceRecord } from '../../../shared/schemas/records.ts';
import type { Principal } from '../../../shared/platform/auth/principal.ts';
import type { FakeTable } from '../review/fake-table.ts';
import { claimsOf } from '../support.ts';
import { application, campaignAt, daysFrom, evidence, FULL_SCORES, review, SECRET } from '../review/fixtures.ts';
import { EXPERTS, panelReview, seedSeat } from '../review/panel/fixtures.ts';
import { panelKeys } from '../../../shared/adapters/dynamo-panel.ts';
import type { SeatRecord } from '../../../shared/schemas/panel.ts';
import { installLimitedTable } from './dynamo-limits.ts';

/**
 * The world the hostile-input properties run in: every handler module of the route table, loaded
 * with the environment its function gets, over mocked AWS clients that answer as the services do
 * (an in-memory table with DynamoDB's limits, Step Functions that knows one failed execution, SES
 * and S3 that take everything). The table is seeded so that a *valid* request on every writing
 * route reaches the store (api-fuzz.test.ts proves it with one control per route), and every call
 * that changes state is recorded, so a property can say "nothing changed".
 */

export const TABLE = 'Records';
export const BUCKET = 'evidence-bucket';
export const SENDER = 'noreply@clusters.example.gov.cn';
export const BASE_URL = 'https://api.clusters.example.gov.cn';
export const STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:ReviewLadder';

process.env.TABLE_NAME = TABLE;
process.env.BUCKET_NAME = BUCKET;
process.env.SENDER_EMAIL = SENDER;
process.env.PUBLIC_BASE_URL = BASE_URL;
process.env.STATE_MACHINE_ARN = STATE_MACHINE_ARN;
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';
// Thousands of hostile requests from one person: the per-client limits are not what is tried here.
process.env.RATE_LIMITS = JSON.stringify(
  Object.fromEntries(
    ['objection', 'reviewDecision', 'linkResend', 'signIn'].map((action) => [
      action,
      { perPerson: { limit: 100_000, windowSeconds: 60 }, perAddress: { limit: 100_000, windowSeconds: 60 } },
    ]),
  ),
);

// Not mockedCloud(): a table with DynamoDB's limits, every state-changing call recorded, and S3 and the raw client mocked.
export const ddb = mockClient(DynamoDBDocumentClient);
/** The raw client: the adapters use the document client only, so any call on it is a finding. */
export const rawDdb = mockClient(DynamoDBClient);
export const s3 = mockClient(S3Client);
export const ses = mockClient(SESv2Client);
export const sfn = mockClient(SFNClient);
/** A presigned POST is signed locally (no request goes out): spied on, as the S3 write it allows. */
export const presigned = vi.spyOn(S3UploadSigner.prototype, 'presignUpload');

export { SECRET };
/** A complete DRAFT (form complete, every required county item VALID): a submit would start the ladder. */
export const DRAFT_ID = '0b6f3b7e-4c1a-4d7e-9a57-2f3a1c0d9e11';
/** Under city review (reviews fixtures' application) with a PENDING review; its link secret is SECRET. */
export const REVIEW_APP_ID = '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42';
/** In its public notice: an objection would be filed. */
export const NOTICE_ID = '5a2d9c1e-7b3f-4e8a-9c6d-1f2e3a4b5c6d';
/** A recognised application (the register's migration). */
export const RECOGNIZED_ID = '8e5f2a3b-9d4c-4a1e-8f6b-3c4d5e6f7a8b';
/** Closed OVERDUE before closings expired reviews: its city review left PENDING (the lapsed-review backfill). */
export const LAPSED_APP_ID = '2e7a9b4c-6d1f-4c8e-9a3b-5f7d1e2c4a6b';
/** A cancellation request on the application in notice, waiting for 吉林省's operators. */
export const REVOCATION_ID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
/** An objection to the application in notice, waiting for MIIT's triage. */
export const OBJECTION_ID = '6b3e0d2f-8c4a-4f9b-8d7e-2a3b4c5d6e7f';
/** A recognised cluster of 敦化市 owing this cycle's annual report, filed and waiting for Jilin's decision. */
export const ANNUAL_ENTRY_ID = 'provincial#2025#222403#生物医药';
/** Its checked upload (a filing takes it). */
export const ANNUAL_FILE_ID = '4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
/** An earlier checked upload no report carries: the county may remove it. */
export const ANNUAL_SPARE_FILE_ID = '5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';

/** Annual reports: the register entry, its VALID upload and its FILED report for the current reporting year. */
async function seedAnnualReport(client: DynamoDBDocumentClient, now: Date): Promise<void> {
  const at = now.toISOString();
  const reportYear = currentReportYear(now, REMINDER_RULES.annualReport);
  await new DynamoRegister(client, TABLE).add({
    entryId: ANNUAL_ENTRY_ID,
    clusterName: '敦化市生物医药产业集群',
    countyCode: '222403',
    provinceCode: '220000',
    leadingIndustry: '医药',
    subSector: '',
    level: 'provincial',
    cohort: 2025,
    validFrom: `${reportYear - 1}-12-20`,
    validUntil: `${reportYear + 2}-12-20`,
    state: 'valid',
    history: [{ at, by: 'seed', to: 'valid', reason: 'seed' }],
    source: { kind: 'seed' },
    revision: 0,
    createdAt: at,
    updatedAt: at,
  });
  const store = new DynamoAnnualReports(client, TABLE);
  const sha256 = 'a'.repeat(64);
  const objectKey = annualReportFileKey({ provinceCode: '220000', reportYear, fileId: ANNUAL_FILE_ID });
  await store.createFile({
    fileId: ANNUAL_FILE_ID,
    reportYear,
    provinceCode: '220000',
    entryId: ANNUAL_ENTRY_ID,
    countyCode: '222403',
    fileName: '年度报告.pdf',
    contentType: 'application/pdf',
    fileType: 'pdf',
    declaredSize: 1000,
    maxBytes: 50 * 1024 * 1024,
    objectKey,
    status: 'VALID',
    requestedBy: 'applicant:seed',
    requestedAt: at,
    uploadExpiresAt: at,
    findings: [],
    size: 1000,
    sha256,
    validatedAt: at,
    validatedSequencer: '01',
  });
  const earlier = new Date(now.getTime() - 86_400_000).toISOString();
  await store.createFile({
    fileId: ANNUAL_SPARE_FILE_ID,
    reportYear,
    provinceCode: '220000',
    entryId: ANNUAL_ENTRY_ID,
    countyCode: '222403',
    fileName: '年度报告（旧）.pdf',
    contentType: 'application/pdf',
    fileType: 'pdf',
    declaredSize: 900,
    maxBytes: 50 * 1024 * 1024,
    objectKey: annualReportFileKey({ provinceCode: '220000', reportYear, fileId: ANNUAL_SPARE_FILE_ID }),
    status: 'VALID',
    requestedBy: 'applicant:seed',
    requestedAt: earlier,
    uploadExpiresAt: earlier,
    findings: [],
    size: 900,
    sha256: 'b'.repeat(64),
    validatedAt: earlier,
    validatedSequencer: '00',
  });
  await store.saveReport(
    {
      reportYear,
      provinceCode: '220000',
      entryId: ANNUAL_ENTRY_ID,
      countyCode: '222403',
      clusterName: '敦化市生物医药产业集群',
      state: 'FILED',
      figures: ANNUAL_FIGURES,
      file: { fileId: ANNUAL_FILE_ID, fileName: '年度报告.pdf', sha256, objectKey },
      round: 1,
      filedBy: 'applicant:seed',
      filedAt: at,
      history: [{ at, by: 'applicant:seed', action: 'filed' }],
      revision: 0,
    },
    undefined,
  );
}

/** Figures a filing accepts. */
export const ANNUAL_FIGURES = {
  clusterOutput: 1_250_000,
  smeCount: 120,
  employment: 8600,
  rdSpending: 41_000,
  specialisedSmes: 12,
  littleGiants: 2,
  mainWork: '建设公共技术服务平台',
  problems: '融资难',
};

/** A failed ladder execution of the reviewed application: RedriveExecution accepts it. */
/** The city's on-site check statement on the application under city review (INVALID). */
export const ONSITE_EVIDENCE_ID = '9c4e1f2a-3b5d-4e6f-8a7b-0c1d2e3f4a5b';
/** The first of the draft's seeded evidence items. */
export const DRAFT_EVIDENCE_ID = '7d0c2d7a-52a4-4b8f-8a0e-000000000000';
export const FAILED_EXECUTION = `${REVIEW_APP_ID}-r3`;
export const COUNTY_CODE = '222403';
export const CITY_CODE = '222400';
export const PROVINCE_CODE = '220000';
/** Jilin's built submission package: a verification would start. */
export const PACKAGE_ID = '220000-recommendation-20250715000000-0a1b2c3d';

const executionArnOf = (name: string) => `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;

/** The expert-panel review of the application under review (Jilin's province, step 1), its link SECRET. */
export const PANEL_SEATS = {
  /** Seated, not declared yet: the declaration's control. */
  assigned: '0a1b2c3d-0000-4000-8000-000000000001',
  /** Declared no conflict: the scores' control and the seat page's. */
  declared: '0a1b2c3d-0000-4000-8000-000000000002',
} as const;
const SCORED_SEATS = [
  '0a1b2c3d-0000-4000-8000-000000000003',
  '0a1b2c3d-0000-4000-8000-000000000004',
  '0a1b2c3d-0000-4000-8000-000000000005',
];

export interface World {
  table: FakeTable;
  /** The expert-panel review: 2 seats owing, 3 scored (closable), one directory expert free. */
  panelReviewId: string;
  campaign: Campaign;
  now: Date;
  reviewId: string;
  /** A checklist item of the draft that still takes a file (for the evidence control). */
  openCriterion: string;
}

/** Redrives Step Functions accepted (it refuses unknown executions, as the service does). */
const acceptedRedrives: string[] = [];

function audit(applicationId: string, at: string, action: AuditEvent['action']): AuditEvent {
  return {
    applicationId,
    eventId: crypto.randomUUID(),
    at,
    action,
    actor: 'seed',
    role: 'applicant',
    requestId: 'seed',
  };
}

/** Resets every mock and seeds the table through the real adapters; then forgets the seeding calls. */
export async function seedWorld(): Promise<World> {
  for (const stub of [ddb, rawDdb, s3, ses, sfn]) stub.reset();
  presigned.mockClear();
  acceptedRedrives.length = 0;

  const table = installLimitedTable(ddb);
  rawDdb.rejects(new Error('the raw DynamoDB client is not used by the pipeline'));
  s3.resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
  sfn.on(StartExecutionCommand).callsFake((input) => ({
    executionArn: executionArnOf(input.name ?? 'x'),
    startDate: new Date(),
  }));
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(SendTaskFailureCommand).resolves({});
  sfn.on(SendTaskHeartbeatCommand).resolves({});
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
  sfn.on(RedriveExecutionCommand).callsFake((input) => {
    if (input.executionArn !== executionArnOf(FAILED_EXECUTION)) {
      throw new ExecutionDoesNotExist({ message: `Execution does not exist: '${input.executionArn}'`, $metadata: {} });
    }
    acceptedRedrives.push(input.executionArn);
    return { redriveDate: new Date() };
  });
  sfn.on(ListExecutionsCommand).callsFake((input) => ({
    executions:
      input.statusFilter === 'FAILED'
        ? [
            {
              executionArn: executionArnOf(FAILED_EXECUTION),
              stateMachineArn: STATE_MACHINE_ARN,
              name: FAILED_EXECUTION,
              status: 'FAILED',
              startDate: new Date(Date.now() - 3_600_000),
              stopDate: new Date(Date.now() - 1_800_000),
            },
          ]
        : [],
  }));
  sfn.on(DescribeExecutionCommand).resolves({
    executionArn: executionArnOf(FAILED_EXECUTION),
    stateMachineArn: STATE_MACHINE_ARN,
    status: 'FAILED',
    startDate: new Date(Date.now() - 3_600_000),
    error: 'Lambda.ServiceException',
    cause: 'throttled',
    redriveStatus: 'REDRIVABLE',
    redriveCount: 0,
  });

  const now = new Date();
  const at = now.toISOString();
  const campaign = campaignAt(now);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const records = new DynamoRecords(client, TABLE);
  const reviews = new DynamoReviews(client, TABLE);
  await new DynamoCampaigns(client, TABLE).putCampaign(campaign, at);

  const rules = effectiveRules(campaign, 'recommendation', COUNTY_CODE);
  const draft: ApplicationRecord = {
    ...application(now, {
      applicationId: DRAFT_ID,
      clusterName: '敦化市人参产业集群',
      status: 'DRAFT',
      revision: 0,
      form: sampleRecommendationForm(campaign.year),
      dueAt: rules.deadlines.submission ?? campaign.calendar.province,
    }),
    submittedAt: undefined,
  };
  await records.createApplication(draft, audit(DRAFT_ID, at, 'APPLICATION_CREATED'));
  const required = rules.checklist.filter((item) => item.required && item.uploadedBy === 'county');
  required.forEach((item, i) => {
    const evidenceId = `7d0c2d7a-52a4-4b8f-8a0e-${String(i).padStart(12, '0')}`;
    const record: EvidenceRecord = evidence({
      applicationId: DRAFT_ID,
      evidenceId,
      criterion: item.id,
      fileName: `${item.id}.pdf`,
      objectKey: `evidence/${DRAFT_ID}/${evidenceId}`,
    });
    table.put({ ...record, ...recordKeys.evidence(DRAFT_ID, evidenceId) });
  });
  const openItem = rules.checklist.find(
    (item) => item.uploadedBy === 'county' && item.fileTypes.includes('pdf') && item.maxFiles > (item.required ? 1 : 0),
  );
  if (!openItem) throw new Error('world: no checklist item takes another PDF');

  const underReview = application(now, { status: 'CITY_REVIEW', stage: 'city', round: 1 });
  await records.createApplication(underReview, audit(REVIEW_APP_ID, at, 'APPLICATION_CREATED'));
  table.put({ ...evidence(), ...recordKeys.evidence(REVIEW_APP_ID, evidence().evidenceId) });
  // The city's own statement, refused by the validator: the review page's uploader may remove it.
  const statement = evidence({
    evidenceId: ONSITE_EVIDENCE_ID,
    criterion: 'onsite-check-statement',
    objectKey: `evidence/${REVIEW_APP_ID}/${ONSITE_EVIDENCE_ID}`,
    fileName: '现场核查符合性说明.pdf',
    status: 'INVALID',
  });
  table.put({ ...statement, ...recordKeys.evidence(REVIEW_APP_ID, ONSITE_EVIDENCE_ID) });
  const pending = review(now);
  await reviews.createReview(pending);
  // Links go to registered reviewers only (never a guessed address): register each stage's, so a
  // valid resend is served rather than answered 409 NO_REVIEWER_REGISTERED.
  for (const jurisdictionCode of [CITY_CODE, PROVINCE_CODE, '000000']) {
    await reviews.putReviewers({ jurisdictionCode, emails: [`reviewer-${jurisdictionCode}@example.gov.cn`] });
  }

  const notice = application(now, {
    applicationId: NOTICE_ID,
    clusterName: '敦化市林下经济产业集群',
    status: 'PUBLIC_NOTICE',
    stage: 'miit',
    noticeStartedAt: daysFrom(now, -1),
    noticeEndsAt: daysFrom(now, 6),
  });
  await records.createApplication(notice, audit(NOTICE_ID, at, 'APPLICATION_CREATED'));
  await new ObjectionItems({ client, tableName: TABLE }).fileObjection(
    {
      objectionId: OBJECTION_ID,
      applicationId: NOTICE_ID,
      reason: '申报面积与实际不符',
      contact: 'objector@example.com',
      name: '李四',
      channel: 'public',
      addressedTo: { stage: 'miit', jurisdictionCode: '000000' },
      filedAt: at,
      resolved: false,
    },
    audit(NOTICE_ID, at, 'OBJECTION_FILED'),
  );

  const panelReviewId = await seedPanel(table, reviews, now);
  // Recognised before the register existed: the register's migration enters it.
  const recognized = application(now, {
    applicationId: RECOGNIZED_ID,
    clusterName: '敦化市食用菌产业集群',
    status: 'RECOGNIZED',
    stage: 'miit',
    recognizedAt: daysFrom(now, -30),
    validUntil: daysFrom(now, 3 * 365),
  });
  await records.createApplication(recognized, audit(RECOGNIZED_ID, at, 'APPLICATION_CREATED'));
  // Timed out before the closing expired the review left pending: the backfill expires it.
  const lapsed = application(now, {
    applicationId: LAPSED_APP_ID,
    clusterName: '敦化市矿泉水产业集群',
    status: 'OVERDUE',
    stage: 'city',
    dueAt: daysFrom(now, -3),
  });
  await records.createApplication(lapsed, audit(LAPSED_APP_ID, at, 'APPLICATION_CREATED'));
  const left = review(now, { deadline: daysFrom(now, -3) });
  await reviews.createReview({
    ...left,
    applicationId: LAPSED_APP_ID,
    reviewId: left.reviewId.replace(REVIEW_APP_ID, LAPSED_APP_ID),
  });
  await seedAnnualReport(client, now);

  // 延边州's other reviewer asked to cancel the application in notice: open, for 吉林省 to decide.
  const revocation: RevocationRequest = {
    requestId: REVOCATION_ID,
    target: { kind: 'application', applicationId: NOTICE_ID },
    applicationId: NOTICE_ID,
    phase: 'in-flight',
    clusterName: notice.clusterName,
    countyCode: COUNTY_CODE,
    provinceCode: PROVINCE_CODE,
    levelCode: CITY_CODE,
    reason: '企业数量虚报',
    requestedBy: { sub: 'reviewer-222400-b', role: 'reviewer', jurisdiction: CITY_CODE },
    requestedAt: at,
    state: 'requested',
    revision: 0,
  };
  await new DynamoRevocations(client, TABLE).file(revocation, openKeyOf(revocation));
  // The register's seed (敦化市医药, the 2022 national cohort): the re-review cohort and decisions.
  await seedRegister(new DynamoRegister(client, TABLE), now);

  forgetCalls();
  await new DynamoPackages(client, TABLE).create({
    packageId: PACKAGE_ID,
    campaignId: campaign.campaignId,
    track: 'recommendation',
    jurisdictionCode: PROVINCE_CODE,
    jurisdictionName: '吉林省',
    status: 'READY',
    requestedBy: { sub: 'reviewer-220000', role: 'reviewer', jurisdiction: PROVINCE_CODE },
    requestedAt: at,
    ...packageKeys(campaign.campaignId, PACKAGE_ID),
    fileName: '吉林省推荐材料.zip',
    attempts: 1,
    builtAt: at,
    size: 1024,
    files: 3,
    manifestSha256: 'a'.repeat(64),
    missing: [],
  });

  return { table, campaign, now, reviewId: pending.reviewId, panelReviewId, openCriterion: openItem.id };
}

/** Forgets recorded calls (the behaviours stay). */
export function forgetCalls(): void {
  for (const stub of [ddb, rawDdb, s3, ses, sfn]) stub.resetHistory();
  presigned.mockClear();
  acceptedRedrives.length = 0;
}

const DYNAMO_WRITES = [PutCommand, UpdateCommand, DeleteCommand, TransactWriteCommand, BatchWriteCommand];
const S3_WRITES = [
  PutObjectCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
];
const SFN_WRITES = [
  StartExecutionCommand,
  SendTaskSuccessCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  StopExecutionCommand,
];

/** Every state change requested since the last forgetCalls(), named; empty when nothing changed. */
export function stateChanges(): string[] {
  const named = (service: string, stub: { calls(): { args: unknown[] }[] }, commands: readonly { name: string }[]) => {
    const names = new Set(commands.map((command) => command.name));
    return (
      stub
        .calls()
        // A request counted against its per-client limit changed nothing of the pipeline's state.
        .filter(
          (call) =>
            !String((call.args[0] as { input?: { Key?: { pk?: unknown } } }).input?.Key?.pk).startsWith('LIMIT#'),
        )
        .map((call) => (call.args[0] as object).constructor.name)
        .filter((name) => names.has(name))
        .map((name) => `${service} ${name}`)
    );
  };
  return [
    ...named('DynamoDB', ddb, DYNAMO_WRITES),
    ...rawDdb.calls().map(() => 'DynamoDB (raw client)'),
    ...named('S3', s3, S3_WRITES),
    ...presigned.mock.calls.map(() => 'S3 presigned POST'),
    ...named('SES', ses, [SendEmailCommand]),
    ...named('Step Functions', sfn, SFN_WRITES),
    ...acceptedRedrives.map(() => 'Step Functions RedriveExecution (accepted)'),
  ];
}

/** Step Functions calls sent (the properties allow only a refused RedriveExecution of an unknown name). */
export const redrivesAsked = () => sfn.commandCalls(RedriveExecutionCommand).length;

// ---- handlers and events ------------------------------------------------------------------

export type Handler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

/** Every API function's handler module, loaded after the environment and the mocks are in place. */
export async function loadHandlers(): Promise<Record<ApiFunctionName, Handler>> {
  const entries = await Promise.all(
    (Object.keys(API_FUNCTIONS) as ApiFunctionName[]).map(async (name) => {
      // The module its catalog entry names (functions/<file>.ts: not always the function's name).
      const file = API_FUNCTIONS[name].entry.replace(/^functions\//, '').replace(/\.ts$/, '');
      const module = (await import(`../../../functions/${file}.ts`)) as { handler: Handler };
      return [name, module.handler] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ApiFunctionName, Handler>;
}

export interface EventParts {
  /** The claims the JWT authorizer hands over on `token` routes. */
  as?: Principal;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** The raw body as API Gateway passes it (a string), or undefined for none. */
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
}

/** An API Gateway HTTP API (payload 2.0) event, as the local gateway and AWS build it. */
export function apiEvent(routeKey: string, parts: EventParts = {}): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(parts.query ?? {}).toString(),
    headers: parts.headers ?? (parts.body === undefined ? {} : { 'content-type': 'application/json' }),
    isBase64Encoded: parts.isBase64Encoded ?? false,
    ...(parts.body !== undefined && { body: parts.body }),
    ...(parts.pathParameters && { pathParameters: parts.pathParameters }),
    ...(parts.query && { queryStringParameters: parts.query }),
    requestContext: {
      requestId: 'req-hostile',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'fast-check' },
      routeKey,
      stage: '$default',
      ...(parts.as && { authorizer: { jwt: { claims: claimsOf(parts.as), scopes: null } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
  };
}

/** The expert panel of the application under review: its review, Jilin's experts, an open panel with five seats. */
async function seedPanel(table: FakeTable, reviews: DynamoReviews, now: Date): Promise<string> {
  const pending = panelReview(now);
  await reviews.createReview(pending);
  const experts = Object.values(EXPERTS);
  table.put({ ...panelKeys.experts(PROVINCE_CODE), jurisdictionCode: PROVINCE_CODE, experts });
  const at = daysFrom(now, -1);
  table.put({
    ...panelKeys.panel(REVIEW_APP_ID, pending.reviewId),
    reviewId: pending.reviewId,
    applicationId: REVIEW_APP_ID,
    jurisdictionCode: PROVINCE_CODE,
    campaignId: pending.campaignId,
    track: 'recommendation',
    countyCode: COUNTY_CODE,
    cityCode: CITY_CODE,
    clusterName: pending.clusterName,
    minExperts: 3,
    method: 'mean',
    status: 'OPEN',
    openedAt: at,
    openedBy: 'seed',
  });
  const seat = (seatId: string, n: number, state: SeatRecord['state'], extra: Partial<SeatRecord> = {}) =>
    seedSeat(table, {
      reviewId: pending.reviewId,
      applicationId: REVIEW_APP_ID,
      seatId,
      expert: experts[n] ?? EXPERTS.changchun,
      state,
      assignedAt: at,
      assignedBy: 'seed',
      secret: SECRET,
      ...extra,
    });
  seat(PANEL_SEATS.assigned, 0, 'ASSIGNED');
  seat(PANEL_SEATS.declared, 1, 'DECLARED', { declaredAt: at });
  SCORED_SEATS.forEach((seatId, i) =>
    seat(seatId, 2 + i, 'SCORED', { declaredAt: at, scores: FULL_SCORES, total: 80 + i, scoredAt: at }),
  );
  return pending.reviewId;
}
