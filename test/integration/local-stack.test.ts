import { readFile } from 'node:fs/promises';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketCorsCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { APIGatewayProxyEventV2, Context, S3Event } from 'aws-lambda';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/auth.ts';
import { startGateway } from '../../local/gateway/server.ts';
import type { LambdaHandler } from '../../local/lambda.ts';
import { silentLog } from '../../local/log.ts';
import { isAlive } from '../../local/services/dynamodb.ts';
import { INDEXES, TABLE_KEY } from '../../shared/adapters/table.ts';
import { postPresigned } from '../../local/client/index.ts';
import { anonymous, as, sentEmails, startTestStack, type TestClients, type TestStack, testClients } from './harness.ts';

/** What the injected validator saw, and how it should behave per key. */
const invocations: { event: S3Event; context: Context; startedAt: number; endedAt?: number }[] = [];
const failKeys = new Set<string>();
/** Keys whose validation is held until the test opens their gate. */
const gates = new Map<string, Promise<void>>();

let stack: TestStack;
let clients: TestClients;

beforeAll(async () => {
  stack = await startTestStack({
    invokeValidator: async (event, context) => {
      const entry: (typeof invocations)[number] = { event, context, startedAt: Date.now() };
      invocations.push(entry);
      const key = decodeURIComponent(event.Records[0]?.s3.object.key.replace(/\+/g, ' ') ?? '');
      await gates.get(key);
      entry.endedAt = Date.now();
      if (failKeys.has(key)) throw new Error(`refusing ${key}`);
      return { ok: true };
    },
  });
  clients = testClients();
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

describe('provisioning', () => {
  it('creates the table from shared/adapters/table.ts: string keys, both GSIs projecting ALL, on demand', async () => {
    const { Table } = await clients.ddb.send(new DescribeTableCommand({ TableName: stack.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.AttributeDefinitions?.every((a) => a.AttributeType === 'S')).toBe(true);
    const indexes = Object.values(INDEXES);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      indexes.map((i) => i.indexName).sort(),
    );
    for (const index of indexes) {
      const gsi = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.indexName);
      expect(gsi?.KeySchema).toEqual([
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ]);
      expect(gsi?.Projection?.ProjectionType).toBe('ALL');
    }
  });

  it('creates the bucket with CORS for the API origin', async () => {
    await expect(clients.s3.send(new HeadBucketCommand({ Bucket: stack.bucketName }))).resolves.toBeDefined();
    const cors = await clients.s3.send(new GetBucketCorsCommand({ Bucket: stack.bucketName }));
    expect(cors.CORSRules?.[0]?.AllowedOrigins).toContain(stack.apiUrl);
    expect(cors.CORSRules?.[0]?.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'PUT', 'GET']));

    const preflight = await fetch(`${stack.endpoints.s3}/${stack.bucketName}`, {
      method: 'OPTIONS',
      headers: { origin: stack.apiUrl, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('sets the environment handlers read, and the SDK honours AWS_ENDPOINT_URL_<SERVICE>', async () => {
    expect(process.env.TABLE_NAME).toBe(stack.tableName);
    expect(process.env.BUCKET_NAME).toBe(stack.bucketName);
    expect(process.env.LOCAL_S3).toBe('1');
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(stack.endpoints.dynamodb);
    expect(process.env.AWS_ENDPOINT_URL_S3).toBe(stack.endpoints.s3);
    expect(process.env.AWS_ENDPOINT_URL_SESV2).toBe(stack.endpoints.ses);
    // The notice takeover window scaled as the Retry intervals are (intervalScale 0, raised to 0.002).
    expect(process.env.NOTICE_TAKEOVER_MS).toBe('60');
    expect(stack.stepFunctions.retryIntervalScale).toBe(0.002);
    // The clients below were built with no endpoint at all (as handlers build theirs).
    await clients.doc.send(
      new PutCommand({ TableName: stack.tableName, Item: { pk: 'TEST#env', sk: 'ITEM', value: 'x' } }),
    );
    const { Item } = await clients.doc.send(
      new GetCommand({ TableName: stack.tableName, Key: { pk: 'TEST#env', sk: 'ITEM' } }),
    );
    expect(Item?.value).toBe('x');
  });
});

describe('S3 → validator delivery', () => {
  it('delivers an SDK putObject under evidence/ as { Records: [record] }, key URL-encoded like S3', async () => {
    const key = 'evidence/APP1/EV1/报告 v1+final.pdf';
    const done = stack.whenValidated(key);
    const body = Buffer.from('%PDF-1.7 test');
    await clients.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: key, Body: body }));
    const validated = await done;
    expect(validated).toMatchObject({ bucket: stack.bucketName, key, ok: true, attempts: 1 });

    const seen = invocations.find((i) => i.event.Records[0]?.s3.object.key === validated.record.s3.object.key);
    expect(seen?.event.Records).toHaveLength(1);
    const record = seen?.event.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: stack.region,
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: stack.bucketName, arn: `arn:aws:s3:::${stack.bucketName}` },
        object: { key: 'evidence/APP1/EV1/%E6%8A%A5%E5%91%8A+v1%2Bfinal.pdf', size: body.length },
      },
    });
    expect(record?.s3.object.sequencer).toEqual(expect.any(String));
    expect(seen?.context.awsRequestId).toEqual(expect.any(String));
    expect(seen?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);

    // The object itself is stored intact (no aws-chunked framing).
    const stored = await clients.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: key }));
    expect(Buffer.from(await (stored.Body?.transformToByteArray() ?? new Uint8Array()))).toEqual(body);
  });

  it('delivers a browser-style presigned POST upload as ObjectCreated:Post with its size', async () => {
    const key = 'evidence/APP1/EV2/photo.png';
    const { url, fields } = await createPresignedPost(clients.s3, {
      Bucket: stack.bucketName,
      Key: key,
      Conditions: [['content-length-range', 1, 1024]],
      Fields: { 'Content-Type': 'image/png' },
      Expires: 60,
    });
    const done = stack.whenValidated(key);
    const response = await postPresigned(
      { url, fields },
      { bytes: new Uint8Array(64), contentType: 'image/png', fileName: 'photo.png', headers: { origin: stack.apiUrl } },
    );
    expect(response.status).toBeLessThan(300);
    const validated = await done;
    expect(validated.eventName).toBe('ObjectCreated:Post');
    expect(validated.record.s3.object.size).toBe(64);
  });

  it('ignores objects outside evidence/ (quarantine moves must not loop)', async () => {
    const before = invocations.length;
    const marker = 'evidence/APP1/after-quarantine.pdf';
    const done = stack.whenValidated(marker);
    await clients.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: 'quarantine/x.pdf', Body: 'x' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: marker, Body: 'y' }));
    await done;
    const keys = invocations.slice(before).map((i) => i.event.Records[0]?.s3.object.key);
    expect(keys).toEqual(['evidence/APP1/after-quarantine.pdf']);
  });

  it('runs one event at a time per key', async () => {
    const key = 'evidence/APP1/EV3/twice.pdf';
    let open: () => void = () => undefined;
    gates.set(
      key,
      new Promise<void>((resolve) => {
        open = resolve;
      }),
    );
    const results: unknown[] = [];
    const all = new Promise<void>((resolve) => {
      const off = stack.onValidated((event) => {
        if (event.key !== key) return;
        results.push(event);
        if (results.length === 2) {
          off();
          resolve();
        }
      });
    });
    await Promise.all([
      clients.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: key, Body: 'one' })),
      clients.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: key, Body: 'two' })),
    ]);
    // Both objects are stored and the first validation is held: the second has not started.
    expect(invocations.filter((i) => i.event.Records[0]?.s3.object.key === key)).toHaveLength(1);
    open();
    await all;
    const runs = invocations.filter((i) => i.event.Records[0]?.s3.object.key === key);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.startedAt).toBeGreaterThanOrEqual(runs[0]?.endedAt ?? Number.POSITIVE_INFINITY);
  });

  it('retries a failing validation twice, then appends it to dead-letters.jsonl', async () => {
    const key = 'evidence/APP1/EV4/broken.pdf';
    failKeys.add(key);
    const done = stack.whenValidated(key);
    await clients.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: key, Body: 'z' }));
    const validated = await done;
    expect(validated).toMatchObject({ ok: false, attempts: 3, error: `refusing ${key}` });

    const lines = (await readFile(stack.deadLetterFile, 'utf8')).trim().split('\n');
    const letter = JSON.parse(lines.at(-1) ?? '{}');
    expect(letter).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { Records: [{ s3: { object: { key: 'evidence/APP1/EV4/broken.pdf' } } }] },
      responsePayload: { errorMessage: `refusing ${key}` },
    });
  });
});

describe('SES', () => {
  it('keeps what SESv2 SendEmail sends, listed by GET /store', async () => {
    const subject = `审核通知 ${Date.now()}`;
    const { MessageId } = await clients.ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'noreply@clusters.example.cn',
        Destination: { ToAddresses: ['reviewer@city.example.cn'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'Please review.' } } } },
      }),
    );
    expect(MessageId).toEqual(expect.any(String));
    const mail = (await sentEmails(stack)).find((m) => m.subject === subject);
    expect(mail?.destination.to).toEqual(['reviewer@city.example.cn']);
    expect(mail?.body.text).toContain('Please review.');
  });

  it('serves the inbox page', async () => {
    const page = await fetch(`${stack.endpoints.ses}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});

describe('gateway of the stack', () => {
  it('answers an unknown route with 404 in the API error shape', async () => {
    const response = await anonymous(stack).raw('GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String) } });
  });

  it('stands in for the JWT authorizer: 401 as API Gateway answers it, before any handler runs', async () => {
    const without = await anonymous(stack).listCampaigns();
    expect(without.status).toBe(401);
    expect(without.json).toEqual({ message: 'Unauthorized' });
    expect(without.headers.get('www-authenticate')).toContain('Bearer');

    const operator = await as(stack, 'operator', '000000');
    expect((await operator.listCampaigns()).status).toBe(200);
    // One changed byte in the signature, a token for another audience, an expired one: refused alike.
    const token = operator.token ?? '';
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const other = await new SignJWT({ 'custom:role': 'operator', 'custom:jurisdiction': '000000', token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject('forger')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a shared secret the issuer never had'));
    const expired = await stack.issuer.issue({ sub: 'late', role: 'operator', jurisdiction: '000000' }, { hours: -1 });
    for (const bad of [tampered, other, expired, 'not-a-jwt']) {
      const refused = await operator.withToken(bad).listCampaigns();
      expect(refused.status, bad).toBe(401);
    }
  });

  it('serves the local issuer’s key set where handlers fetch it (AUTH_JWKS_URL)', async () => {
    const response = await fetch(stack.env.AUTH_JWKS_URL ?? '');
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: { kty: string; alg: string; d?: string }[] };
    expect(keys.map((k) => [k.kty, k.alg])).toEqual([['EC', 'ES256']]);
    expect(keys.some((k) => k.d !== undefined)).toBe(false);
  });

  it('answers a known path under another method with 405 and Allow', async () => {
    const response = await (await as(stack, 'operator', '000000')).raw('DELETE', '/v1/campaigns');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(response.json).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
  });

  it('answers a CORS preflight for the local origin', async () => {
    const response = await fetch(`${stack.apiUrl}/v1/applications/APP1/evidence`, {
      method: 'OPTIONS',
      headers: {
        origin: stack.apiUrl,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(stack.apiUrl);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');

    const stranger = await fetch(`${stack.apiUrl}/v1/campaigns`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('gateway (injected routes and handlers)', () => {
  const logged: string[] = [];
  const seen: { event: APIGatewayProxyEventV2; context: Context }[] = [];
  const handlers: Record<string, LambdaHandler> = {
    echo: (event: APIGatewayProxyEventV2, context: Context) => {
      seen.push({ event, context });
      return {
        statusCode: 201,
        headers: { 'X-Echo': event.routeKey },
        cookies: ['a=1; Path=/', 'b=2; Path=/'],
        body: JSON.stringify({ ok: true }),
      };
    },
    plain: (event: APIGatewayProxyEventV2) =>
      event.queryStringParameters?.as === 'string' ? 'just text' : { hello: 'world', when: new Date(0) },
    binary: () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: 'iVBORw0=',
      isBase64Encoded: true,
    }),
    boom: () => {
      throw new Error('secret database password in stack trace');
    },
    malformed: () => ({ statusCode: 'two hundred' }),
  };
  let gateway: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      routes: [
        { method: 'POST', path: '/items/{itemId}/parts/{partId}', fn: 'echo' },
        { method: 'GET', path: '/items/special', fn: 'plain' },
        { method: 'GET', path: '/items/{itemId}', fn: 'echo' },
        { method: 'GET', path: '/binary', fn: 'binary' },
        { method: 'GET', path: '/boom', fn: 'boom' },
        { method: 'GET', path: '/malformed', fn: 'malformed' },
      ],
      loadHandler: async (fn) => {
        const handler = handlers[fn];
        if (!handler) throw new Error(`no ${fn}`);
        return handler;
      },
      maxBodyBytes: 1024,
      corsOrigins: ['http://127.0.0.1:5173'],
      extraHandlers: {
        '/console/': (_req, res) => {
          res.end('console page');
        },
      },
      log: { ...silentLog, info: (line) => logged.push(line) },
    });
  });
  afterAll(() => gateway?.close());

  it('logs the path of each request, never its query (review links carry their secret there)', async () => {
    logged.length = 0;
    await (await fetch(`${gateway.url}/items/i1?t=the-link-secret&code=a-sign-in-code`)).text();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^GET \/items\/i1\?… → 201 /);
    expect(logged.join('\n')).not.toMatch(/the-link-secret|a-sign-in-code/);
  });

  it('builds a payload format 2.0 event', async () => {
    const response = await fetch(`${gateway.url}/items/a%20b/parts/p1?x=1&x=2&y=%E4%B8%AD`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'Yes', cookie: 'session=abc; lang=zh' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('POST /items/{itemId}/parts/{partId}');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const { event, context } = seen.at(-1) ?? {};
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /items/{itemId}/parts/{partId}',
      rawPath: '/items/a%20b/parts/p1',
      rawQueryString: 'x=1&x=2&y=%E4%B8%AD',
      queryStringParameters: { x: '1,2', y: '中' },
      pathParameters: { itemId: 'a b', partId: 'p1' },
      cookies: ['session=abc', 'lang=zh'],
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/items/a%20b/parts/p1', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        routeKey: 'POST /items/{itemId}/parts/{partId}',
        stage: '$default',
      },
    });
    expect(event?.headers['content-type']).toBe('application/json');
    expect(event?.headers['x-custom']).toBe('Yes');
    expect(event?.headers.cookie).toBeUndefined();
    expect(event?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event?.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(event?.requestContext.timeEpoch).toEqual(expect.any(Number));
    expect(context?.functionName).toBe('local-echo');
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('prefers the literal route, and base64-encodes a binary body', async () => {
    const special = await fetch(`${gateway.url}/items/special`);
    expect(await special.json()).toEqual({ hello: 'world', when: '1970-01-01T00:00:00.000Z' });
    expect(special.headers.get('content-type')).toBe('application/json');

    await fetch(`${gateway.url}/items/i1/parts/p2`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: new Uint8Array([0x25, 0x50, 0xff, 0x00]),
    });
    const { event } = seen.at(-1) ?? {};
    expect(event?.isBase64Encoded).toBe(true);
    expect(Buffer.from(event?.body ?? '', 'base64')).toEqual(Buffer.from([0x25, 0x50, 0xff, 0x00]));
    expect(event?.queryStringParameters).toBeUndefined();
  });

  it('maps plain and base64 results like API Gateway', async () => {
    const text = await fetch(`${gateway.url}/items/special?as=string`);
    expect(await text.text()).toBe('just text');
    const binary = await fetch(`${gateway.url}/binary`);
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from('iVBORw0=', 'base64'));
    expect(binary.headers.get('content-type')).toBe('image/png');
  });

  it('hides a thrown error behind 500 INTERNAL', async () => {
    const response = await fetch(`${gateway.url}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(text).not.toContain('secret');
    const malformed = await fetch(`${gateway.url}/malformed`);
    expect(malformed.status).toBe(500);
  });

  it('refuses a body over the cap with 413', async () => {
    const response = await fetch(`${gateway.url}/items/i1/parts/p1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2048) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) },
    });
  });

  it('adds CORS headers for an allowed origin and serves mounted pages', async () => {
    const allowed = await fetch(`${gateway.url}/items/i1`, { headers: { origin: 'http://127.0.0.1:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    const page = await fetch(`${gateway.url}/console/`);
    expect(await page.text()).toBe('console page');
  });
});

describe('lifecycle', () => {
  it('keeps data across a restart on the same data dir, and leaves no Java process behind', async () => {
    await clients.doc.send(
      new PutCommand({ TableName: stack.tableName, Item: { pk: 'TEST#persist', sk: 'ITEM', n: 42 } }),
    );
    await clients.s3.send(
      new PutObjectCommand({ Bucket: stack.bucketName, Key: 'persist/kept.txt', Body: 'still here' }),
    );
    const firstPid = stack.dynamoPid;
    stack = await stack.restart();
    expect(isAlive(firstPid)).toBe(false);
    expect(stack.dynamoPid).not.toBe(firstPid);

    const { Item } = await clients.doc.send(
      new GetCommand({ TableName: stack.tableName, Key: { pk: 'TEST#persist', sk: 'ITEM' } }),
    );
    expect(Item?.n).toBe(42);
    const kept = await clients.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: 'persist/kept.txt' }));
    expect(await kept.Body?.transformToString()).toBe('still here');

    const pid = stack.dynamoPid;
    await stack.stop();
    expect(isAlive(pid)).toBe(false);
  });
});
