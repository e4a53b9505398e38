import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../shared/adapters/dynamo-records/keys.ts';
import { landing, safeNext } from '../../../../shared/platform/auth/console-sign-in.ts';
import { APP_ID, PEOPLE, sampleApplication } from '../../support.ts';
import { AUDIENCE, ISSUER, refusedTokens, startIssuer, type TestIssuer } from './tokens.ts';

/**
 * Console sign-in, sign-out and the session cookie, through the ops function's real handler:
 * tokens are signed with a test key whose key set a local server publishes (AUTH_JWKS_URL), and
 * verified by tokenVerifierFromEnv() as in AWS.
 */

process.env.TABLE_NAME = 'Records';
process.env.STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:Ladder';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'secret';
process.env.AWS_REGION = 'cn-north-1';
process.env.AUTH_ISSUER = ISSUER;
process.env.AUTH_AUDIENCE = AUDIENCE;

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

type Result = { statusCode: number; body: string; headers?: Record<string, string>; cookies?: string[] };
let handler: (event: APIGatewayProxyEventV2) => Promise<Result>;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startIssuer();
  process.env.AUTH_JWKS_URL = issuer.jwksUrl;
  handler = (await import('../../../../functions/ops.ts')).handler as typeof handler;
});

afterAll(() => issuer.close());

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb
    .on(BatchGetCommand)
    .resolves({ Responses: { Records: [{ ...sampleApplication(), ...keys.application(APP_ID) }] } });
  ddb.on(PutCommand).resolves({});
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-24T04:00:00Z') });
});

/** A request as API Gateway hands it over from a browser on this site. */
function browser(
  routeKey: string,
  options: {
    body?: string;
    base64?: boolean;
    query?: Record<string, string>;
    cookies?: string[];
    headers?: Record<string, string>;
    path?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const [method, rawPath] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { host: 'console.example', 'sec-fetch-site': 'same-origin', ...options.headers },
    ...(options.cookies && { cookies: options.cookies }),
    isBase64Encoded: options.base64 ?? false,
    ...(options.body !== undefined && { body: options.body }),
    ...(options.query && { queryStringParameters: options.query }),
    ...(options.path && { pathParameters: options.path }),
    requestContext: { requestId: 'req-sign-in', http: { method, path: rawPath } },
  } as unknown as APIGatewayProxyEventV2;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const postSignIn = (
  fields: Record<string, string>,
  options: { https?: boolean; base64?: boolean; query?: Record<string, string> } = {},
) => {
  const text = new URLSearchParams(fields).toString();
  return handler(
    browser('POST /console/sign-in', {
      body: options.base64 ? Buffer.from(text).toString('base64') : text,
      base64: options.base64 ?? false,
      headers: { ...FORM, ...(options.https !== false && { 'x-forwarded-proto': 'https' }) },
      ...(options.query && { query: options.query }),
    }),
  );
};

/**
 * `<name>=<value>; attr; attr…` as name → value (attributes without a value map to ''): the name
 * is `__Host-cp_session` over https and `cp_session` over plain http.
 */
function cookieParts(
  cookie: string | undefined,
  name = '__Host-cp_session',
): { value: string; attributes: Record<string, string> } {
  const [pair = '', ...rest] = (cookie ?? '').split('; ');
  expect(pair.startsWith(`${name}=`)).toBe(true);
  const attributes = Object.fromEntries(rest.map((part) => [part.split('=')[0] ?? '', part.split('=')[1] ?? '']));
  return { value: pair.slice(`${name}=`.length), attributes };
}

describe('GET /console/sign-in', () => {
  it('is a bilingual, phone-friendly page with the strict CSP and a form that posts the token and where to go next', async () => {
    const next = '/console/jurisdiction?campaignId=x&code=220000';
    const page = await handler(browser('GET /console/sign-in', { query: { next } }));
    expect(page.statusCode).toBe(200);
    const csp = page.headers?.['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.body).toContain('<form method="post" action="/console/sign-in">');
    expect(page.body).toMatch(/<textarea id="token" name="token"[^>]*required/);
    expect(page.body).toContain(
      '<input type="hidden" name="next" value="/console/jurisdiction?campaignId=x&amp;code=220000">',
    );
    expect(page.body).toContain('npm run token -- --role operator --jurisdiction 000000');
    expect(page.body).toContain('Cognito');
    expect(page.body).not.toContain('http-equiv="refresh"');
    expect(page.body).not.toContain('data-signed-in');

    const english = await handler(browser('GET /console/sign-in', { query: { next, lang: 'en' } }));
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('<form method="post" action="/console/sign-in?lang=en">');
    expect(english.body).toContain('Paste your ID token');
  });

  it('offers no provider button when AUTH_AUTHORIZE_URL and AUTH_TOKEN_URL are not set; start and callback answer 404', async () => {
    const page = await handler(browser('GET /console/sign-in', { query: { next: '/console/board' } }));
    expect(page.body).not.toContain('/console/sign-in/start');
    for (const routeKey of ['GET /console/sign-in/start', 'GET /console/sign-in/callback']) {
      const result = await handler(
        browser(routeKey, { query: { next: '/console/board', code: 'c', state: 's', lang: 'en' } }),
      );
      expect(result.statusCode, routeKey).toBe(404);
      expect(result.cookies ?? [], routeKey).toEqual([]);
      expect(result.body, routeKey).toContain('not offered here');
      expect(result.body, routeKey).toMatch(/<textarea id="token" name="token"/);
    }
  });

  it("speaks as the portal to someone on their way into it: the portal's brand and words, the applicant's command", async () => {
    const page = await handler(browser('GET /console/sign-in', { query: { next: '/portal/annual-reports' } }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('中小企业特色产业集群 · 申报门户');
    expect(page.body).not.toContain('运维控制台');
    expect(page.body).not.toContain('控制台');
    expect(page.body).toContain('npm run token -- --role applicant --jurisdiction 222403');
    expect(page.body).not.toContain('--role operator');
    // The language switch stays on the sign-in page, keeping the way back.
    expect(page.body).toContain('href="/console/sign-in?next=%2Fportal%2Fannual-reports&amp;lang=en"');
    const english = await handler(browser('GET /console/sign-in', { query: { next: '/portal', lang: 'en' } }));
    expect(english.body).toContain('Applicant portal');
    expect(english.body).not.toContain('operations console');

    // A refused token shows the form again in the portal's words too.
    const refused = await postSignIn({ token: 'not-a-token', next: '/portal' });
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toContain('申报门户');
    expect(refused.body).not.toContain('运维控制台');
  });

  it("leads the portal's brand to the portal's home, not to the console's sign-in page", async () => {
    const page = await handler(browser('GET /console/sign-in', { query: { next: '/portal/annual-reports' } }));
    expect(page.body).toContain('<a class="brand" href="/portal">中小企业特色产业集群 · 申报门户</a>');
    const english = await handler(browser('GET /console/sign-in', { query: { next: '/portal', lang: 'en' } }));
    expect(english.body).toContain('<a class="brand" href="/portal?lang=en">');
    // The console's sign-in page keeps the console's home.
    const console = await handler(browser('GET /console/sign-in', { query: { next: '/console/board' } }));
    expect(console.body).toContain('<a class="brand" href="/console/board">');
  });

  it('speaks the language of the page the person was going to, and signs them in to it in the language of the form', async () => {
    // A signed-out visit to /portal?lang=en comes here with the language inside `next`.
    const page = await handler(browser('GET /console/sign-in', { query: { next: '/portal?lang=en' } }));
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Applicant portal');
    expect(page.body).toContain('<form method="post" action="/console/sign-in?lang=en">');
    expect(page.body).toContain('<input type="hidden" name="next" value="/portal?lang=en">');
    // The switch to Chinese is Chinese, its `next` without the language that would outvote it.
    expect(page.body).toContain('href="/console/sign-in?next=%2Fportal" hreflang="zh-CN"');
    const chinese = await handler(browser('GET /console/sign-in', { query: { next: '/portal' } }));
    expect(chinese.body).toContain('<html lang="zh-CN">');
    expect(chinese.body).toContain('<input type="hidden" name="next" value="/portal">');
    // The page's own language wins over `next`'s: the Chinese form leads on in Chinese.
    const switched = await handler(
      browser('GET /console/sign-in', { query: { next: '/portal/edit?id=x&lang=en', lang: 'zh' } }),
    );
    expect(switched.body).toContain('<html lang="zh-CN">');
    expect(switched.body).toContain('<input type="hidden" name="next" value="/portal/edit?id=x">');
    const english = await handler(
      browser('GET /console/sign-in', { query: { next: '/portal/edit?id=x', lang: 'en' } }),
    );
    expect(english.body).toContain('<input type="hidden" name="next" value="/portal/edit?id=x&amp;lang=en">');
  });

  it('says, after a form was sent without a session, that its entries were not saved', async () => {
    const page = await handler(browser('GET /console/sign-in', { query: { next: '/portal/edit?id=x', unsaved: '1' } }));
    expect(page.body).toContain('id="unsaved"');
    expect(page.body).toContain('未保存');
    const plain = await handler(browser('GET /console/sign-in', { query: { next: '/portal/edit?id=x' } }));
    expect(plain.body).not.toContain('id="unsaved"');
  });

  it('never puts a foreign `next` into the form', async () => {
    const page = await handler(browser('GET /console/sign-in', { query: { next: '//evil.example/"><script>' } }));
    expect(page.body).toContain('<input type="hidden" name="next" value="">');
    expect(page.body).not.toContain('<script>');
  });
});

describe('POST /console/sign-in', () => {
  it('sets the session cookie (__Host-cp_session: HttpOnly, SameSite=Strict, Path=/, Max-Age to the expiry, Secure over https) and goes to next', async () => {
    const token = await issuer.token(PEOPLE.jilinOperator, { expiresInSeconds: 3600 });
    const result = await postSignIn({ token: `  ${token}\n`, next: '/console/jurisdiction?campaignId=x&code=220000' });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/console/jurisdiction?campaignId=x&code=220000');
    expect(result.cookies).toHaveLength(1);
    const { value, attributes } = cookieParts(result.cookies?.[0]);
    expect(value).toBe(token);
    expect(Object.keys(attributes)).toEqual(['HttpOnly', 'SameSite', 'Path', 'Max-Age', 'Secure']);
    expect(attributes).toMatchObject({ SameSite: 'Strict', Path: '/' });
    expect(Number(attributes['Max-Age'])).toBeGreaterThan(3590);
    expect(Number(attributes['Max-Age'])).toBeLessThanOrEqual(3600);
  });

  it('caps the session at 8 hours, names it cp_session without Secure over plain http, and reads a base64-encoded form', async () => {
    const token = await issuer.token(PEOPLE.nationalOperator, { expiresInSeconds: 24 * 3600 });
    const result = await postSignIn({ token }, { https: false, base64: true });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/console');
    const { attributes } = cookieParts(result.cookies?.[0], 'cp_session');
    expect(attributes['Max-Age']).toBe(String(8 * 3600));
    expect(attributes).toMatchObject({ Path: '/' });
    expect(attributes).not.toHaveProperty('Secure');
  });

  it('lands an applicant without a `next` on the portal, and follows a portal `next`', async () => {
    const token = await issuer.token(PEOPLE.dunhuaApplicant);
    expect((await postSignIn({ token })).headers?.location).toBe('/portal');
    expect((await postSignIn({ token, next: '' })).headers?.location).toBe('/portal');
    expect((await postSignIn({ token, next: '/portal/application?id=x' })).headers?.location).toBe(
      '/portal/application?id=x',
    );
  });

  it('answers a forged, expired, foreign or non-ID token with 401 and the form again, setting no cookie', async () => {
    const refused = await refusedTokens(issuer, PEOPLE.nationalOperator);
    for (const token of refused) {
      const result = await postSignIn({ token, next: '/console/board' }, { query: { lang: 'en' } });
      expect(result.statusCode, token).toBe(401);
      expect(result.cookies ?? []).toEqual([]);
      expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(result.body).toContain('Sign-in failed');
      // Signed in from the English form, the person goes on in English.
      expect(result.body).toContain('<input type="hidden" name="next" value="/console/board?lang=en">');
      expect(result.body).toMatch(/<textarea id="token" name="token"[^>]*><\/textarea>/);
    }
  });

  it('answers an empty form with 400 and the form again', async () => {
    const result = await postSignIn({ token: '   ' });
    expect(result.statusCode).toBe(400);
    expect(result.cookies ?? []).toEqual([]);
    expect(result.body).toContain('请粘贴 ID 令牌');
  });

  it('never redirects off the site: foreign, scheme-relative and tricky `next` values go home (/console)', async () => {
    const token = await issuer.token(PEOPLE.nationalOperator);
    for (const next of [
      '//evil.example',
      'https://evil.example/console',
      '/\\evil.example',
      '/console/../v1/ops/summary',
      'javascript:alert(1)',
      '/consolex',
      '/portalx',
      '/portal/../v1/applications',
      '',
    ]) {
      const result = await postSignIn({ token, next });
      expect(result.statusCode, next).toBe(303);
      expect(result.headers?.location, next).toBe('/console');
    }
  });

  it('refuses a sign-in posted from another site (403), setting no cookie', async () => {
    const token = await issuer.token(PEOPLE.nationalOperator);
    const result = await handler(
      browser('POST /console/sign-in', {
        body: new URLSearchParams({ token }).toString(),
        headers: { ...FORM, 'sec-fetch-site': 'cross-site' },
      }),
    );
    expect(result.statusCode).toBe(403);
    expect(result.cookies ?? []).toEqual([]);
  });
});

describe('safeNext', () => {
  it('keeps console and portal paths with their query, and normalises them', () => {
    expect(safeNext('/console')).toBe('/console');
    expect(safeNext('/portal')).toBe('/portal');
    expect(safeNext('/portal/print?id=abc&lang=en')).toBe('/portal/print?id=abc&lang=en');
    expect(safeNext('/console/application?id=abc&lang=en')).toBe('/console/application?id=abc&lang=en');
    expect(safeNext('/console/jurisdiction?code=220000#top')).toBe('/console/jurisdiction?code=220000');
    expect(safeNext('/console/a b')).toBe('/console/a%20b');
  });

  it('sends the sign-in pages themselves, control characters and anything off the console to /console', () => {
    for (const next of [
      undefined,
      '/console/sign-in?next=/console',
      '/console/sign-in/start?next=/console',
      '/console/sign-in/callback?code=x',
      '/console/sign-out',
      '/console/\tx',
      '/v1/ops/summary',
      'console',
    ]) {
      expect(safeNext(next), String(next)).toBe('/console');
    }
  });

  it('sends a person without a usable `next` home: applicants to the portal, others to the console', () => {
    expect(landing(undefined, { role: 'applicant' })).toBe('/portal');
    expect(landing('//evil.example', { role: 'applicant' })).toBe('/portal');
    expect(landing(undefined, { role: 'reviewer' })).toBe('/console');
    expect(landing('/console/inbox', { role: 'applicant' })).toBe('/console/inbox');
  });
});

describe('POST /console/sign-out', () => {
  it('clears the cookie (same name and path, Max-Age=0), and one left at the old Path=/console, and goes to the sign-in page', async () => {
    const result = await handler(
      browser('POST /console/sign-out', { headers: { ...FORM, 'x-forwarded-proto': 'https' }, body: '' }),
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/console/sign-in');
    expect(result.cookies).toEqual([
      '__Host-cp_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure',
      'cp_session=; HttpOnly; SameSite=Strict; Path=/console; Max-Age=0; Secure',
    ]);
    const plain = await handler(browser('POST /console/sign-out', { headers: FORM, body: '' }));
    expect(plain.cookies?.[0]).toBe('cp_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');

    const english = await handler(browser('POST /console/sign-out', { query: { lang: 'en' } }));
    expect(english.headers?.location).toBe('/console/sign-in?lang=en');
  });
});

describe('the session cookie at work', () => {
  const REDRIVE = 'POST /console/executions/{executionName}/redrive';
  const redrive = (cookies?: string[]) =>
    handler(browser(REDRIVE, { path: { executionName: `${APP_ID}-r1` }, ...(cookies && { cookies }) }));

  it('signs the console pages in: the cookie from sign-in (either name) opens /console for that principal', async () => {
    for (const https of [true, false]) {
      const signedIn = await postSignIn({ token: await issuer.token(PEOPLE.jilinOperator) }, { https });
      const cookie = signedIn.cookies?.[0]?.split('; ')[0] ?? '';
      expect(cookie.startsWith(https ? '__Host-cp_session=' : 'cp_session=')).toBe(true);
      const home = await handler(browser('GET /console', { cookies: [cookie] }));
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('data-signed-in="operator:220000"');
    }

    const anonymous = await handler(browser('GET /console'));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toBe('/console/sign-in?next=%2Fconsole');
  });

  it("lets the board's redrive button act for an operator over the application (202), with the audit naming them", async () => {
    const result = await redrive([`cp_session=${await issuer.token(PEOPLE.jilinOperator)}`]);
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toMatchObject({ executionName: `${APP_ID}-r1` });
    expect(sfn).toHaveReceivedCommandTimes(RedriveExecutionCommand, 1);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      actor: 'operator-220000',
      role: 'operator',
      jurisdiction: '220000',
    });
  });

  it('refuses it to an operator of another province and to a reviewer (403 JSON), and without a session (401)', async () => {
    const hebei = { sub: 'operator-130000', role: 'operator', jurisdiction: '130000' } as const;
    for (const principal of [hebei, PEOPLE.jilinReviewer]) {
      const result = await redrive([`cp_session=${await issuer.token(principal)}`]);
      expect(result.statusCode, principal.sub).toBe(403);
      expect(JSON.parse(result.body).error.code).toBe('FORBIDDEN');
    }
    expect((await redrive()).statusCode).toBe(401);
    expect((await redrive([`cp_session=${await issuer.forged(PEOPLE.nationalOperator)}`])).statusCode).toBe(401);
    expect(sfn).not.toHaveReceivedCommand(RedriveExecutionCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});
