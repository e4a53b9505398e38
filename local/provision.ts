import {
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceInUseException,
  type WriteRequest,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRegister } from '../shared/adapters/dynamo-register.ts';
import { reviewKeys } from '../shared/adapters/dynamo-reviews/items.ts';
import { DynamoPanels } from '../shared/adapters/dynamo-panel.ts';
import type { Expert } from '../shared/schemas/panel.ts';
import { seedRegister } from '../shared/register/seed.ts';
import { INDEXES, KEY_ATTRIBUTES, TABLE_KEY } from '../shared/adapters/table.ts';
import { childrenOf, MIIT_CODE, provincialJurisdictions } from '../shared/rules/jurisdictions.ts';

/**
 * Creates what the CDK stack creates in AWS, on the local stand-ins, when it is missing. Safe to
 * run on every start: existing tables and buckets (and their data) are left alone.
 */

/** Creates the table from shared/adapters/table.ts: string keys, both GSIs projecting ALL, on demand. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'exists'> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.values(INDEXES).map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return 'exists';
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  return 'created';
}

export interface BucketOptions {
  /** Origins allowed to POST/PUT/GET objects from a browser (the local API's page origins). */
  corsOrigins: readonly string[];
}

/**
 * Creates the bucket if missing and (always) sets its CORS rules, since the API origin can change
 * from one start to the next (another port).
 */
export async function ensureBucket(
  client: S3Client,
  bucketName: string,
  options: BucketOptions,
): Promise<'created' | 'exists'> {
  let outcome: 'created' | 'exists' = 'exists';
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) throw error;
    await client.send(new CreateBucketCommand({ Bucket: bucketName }));
    outcome = 'created';
  }
  await client.send(
    new PutBucketCorsCommand({
      Bucket: bucketName,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: [...options.corsOrigins],
            AllowedMethods: ['POST', 'PUT', 'GET'],
            AllowedHeaders: ['*'],
            ExposeHeaders: ['ETag'],
            MaxAgeSeconds: 3000,
          },
        ],
      },
    }),
  );
  return outcome;
}

/** The local reviewers' domain: every reviewing jurisdiction gets reviewers+<code>@ this. */
export const LOCAL_REVIEWER_DOMAIN = 'clusters.localhost';

/** Marks a table whose reviewer directory was registered once (so a removal made later stays). */
const SEEDED = { pk: { S: 'LOCAL' }, sk: { S: 'REVIEWERS_REGISTERED' } };

/**
 * Registers a reviewer address for every jurisdiction that reviews (MIIT, the provincial level,
 * the cities), once per table: reviewers+<code>@clusters.localhost, so that locally every review
 * link has somewhere to go (the inbox page shows them all). In AWS nobody is registered until an
 * operator does it: review links go to registered addresses only (docs/runbook.md).
 */
export async function ensureLocalReviewers(client: DynamoDBClient, tableName: string): Promise<number> {
  const marker = await client.send(new GetItemCommand({ TableName: tableName, Key: SEEDED, ConsistentRead: true }));
  if (marker.Item) return 0;
  // A set: a planned city (大连, 宁波…) is provincial-level and a city of its province both.
  const codes = new Set([MIIT_CODE]);
  for (const province of provincialJurisdictions()) {
    codes.add(province.code);
    for (const child of childrenOf(province.code)) if (child.level === 'city') codes.add(child.code);
  }
  const requests: WriteRequest[] = [...codes].map((code) => {
    const key = reviewKeys.reviewers(code);
    return {
      PutRequest: {
        Item: {
          pk: { S: key.pk },
          sk: { S: key.sk },
          jurisdictionCode: { S: code },
          emails: { L: [{ S: `reviewers+${code}@${LOCAL_REVIEWER_DOMAIN}` }] },
        },
      },
    };
  });
  for (let start = 0; start < requests.length; start += 25) {
    let batch: WriteRequest[] = requests.slice(start, start + 25);
    while (batch.length > 0) {
      const { UnprocessedItems } = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }),
      );
      batch = UnprocessedItems?.[tableName] ?? [];
    }
  }
  await client.send(new PutItemCommand({ TableName: tableName, Item: SEEDED }));
  return codes.size;
}

// ---- the expert panel's directories ---------------------------------------------------------

const localExpert = (n: number, name: string, extra: Partial<Expert> = {}): Expert => ({
  email: `experts+${n}@${LOCAL_REVIEWER_DOMAIN}`,
  name,
  ...extra,
});

/**
 * A few experts for the seeded provinces' panels (专家评审), each with their own city or county
 * so that 回避 shows: Shanxi (140000) and Jilin (220000). Locally only; in AWS an operator
 * registers a level's experts (docs/expert-panel.md).
 */
export const LOCAL_EXPERTS: Readonly<Record<string, readonly Expert[]>> = {
  '140000': [
    localExpert(1, '王建国', { cityCode: '140100', affiliation: '太原理工大学' }),
    localExpert(2, '李红', { cityCode: '140200', affiliation: '大同市装备制造业协会' }),
    localExpert(3, '张伟', { cityCode: '140400', affiliation: '长治学院' }),
    localExpert(4, '刘洋', { cityCode: '140700', countyCode: '140702', affiliation: '山西农业大学' }),
    localExpert(5, '陈静', { affiliation: '山西省中小企业发展促进中心' }),
    localExpert(6, '赵磊', { cityCode: '141000', affiliation: '山西师范大学' }),
  ],
  '220000': [
    localExpert(11, '孙立', { cityCode: '220100', affiliation: '吉林大学' }),
    localExpert(12, '周敏', { cityCode: '220200', affiliation: '北华大学' }),
    localExpert(13, '吴刚', { cityCode: '220300', affiliation: '吉林师范大学' }),
    localExpert(14, '郑华', { affiliation: '吉林省中医药科学院' }),
    localExpert(15, '金哲', { cityCode: '222400', affiliation: '延边大学' }),
    localExpert(16, '朴成', { countyCode: '222403', affiliation: '敦化市医药行业协会' }),
    localExpert(17, '高峰', { cityCode: '220500', affiliation: '通化师范学院' }),
    localExpert(18, '林雪', { cityCode: '220600', affiliation: '白山市科技局' }),
  ],
};

/** Registers LOCAL_EXPERTS where a level has no directory yet (an edit made later stays). */
export async function ensureLocalExperts(client: DynamoDBClient, tableName: string): Promise<number> {
  const panels = new DynamoPanels(DynamoDBDocumentClient.from(client), tableName);
  let registered = 0;
  for (const [jurisdictionCode, experts] of Object.entries(LOCAL_EXPERTS)) {
    if (await panels.experts(jurisdictionCode)) continue;
    await panels.putExperts({ jurisdictionCode, experts: [...experts] });
    registered += experts.length;
  }
  return registered;
}

/**
 * Seeds the register of recognised clusters with what the notices name (shared/register/seed.ts):
 * 敦化市医药产业集群 (2022) and the three 2023 clusters. Conditional writes on the natural key: a
 * restart, or an operator's import of the same lists, writes nothing twice. How many were new.
 */
export async function ensureRegisterSeed(client: DynamoDBClient, tableName: string): Promise<number> {
  const register = new DynamoRegister(DynamoDBDocumentClient.from(client), tableName);
  const outcomes = await seedRegister(register, new Date());
  return outcomes.filter((outcome) => outcome === 'created').length;
}
