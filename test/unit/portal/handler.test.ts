import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApplicationsHandler } from '../../../shared/intake/handlers.ts';
import { startTestIssuer, type TestIssuer } from '../sign-in.ts';
import { APP_ID, PEOPLE, portalWorld } from './fixtures.ts';

/**
 * The portal through the applications function's handler, built from the real intake on
 * in-memory records: the session cookie (either name) signs the pages in, a form-encoded POST
 * reaches the use case, a POST from another site is refused, and without a session a browser is
 * sent to sign in.
 */

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

function browserEvent(
  routeKey: string,
  options: {
    cookies?: string[];
    body?: string;
    path?: Record<string, string>;
    site?: string;
    headers?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const [method, rawPath] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {
      host: 'clusters.example',
      'sec-fetch-site': options.site ?? 'same-origin',
      ...(options.body !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
      ...options.headers,
    },
    ...(options.cookies && { cookies: options.cookies }),
    isBase64Encoded: false,
    ...(options.body !== undefined && { body: options.body }),
    ...(options.path && { pathParameters: options.path }),
    requestContext: { requestId: 'req-portal-handler', http: { method, path: rawPath } },
  } as unknown as APIGatewayProxyEventV2;
}

describe('the portal behind the applications function', () => {
  it('serves /portal to the session cookie under either name, and sends a browser without one to sign in', async () => {
    const world = portalWorld();
    const handler = makeApplicationsHandler(world.deps as Parameters<typeof makeApplicationsHandler>[0]);
    const token = await issuer.token(PEOPLE.dunhuaApplicant);
    for (const cookie of [`__Host-cp_session=${token}`, `cp_session=${token}`]) {
      const answer = await handler(browserEvent('GET /portal', { cookies: [cookie] }));
      expect(answer.statusCode, cookie.slice(0, 20)).toBe(200);
      expect(answer.body).toContain('data-signed-in="applicant:222403"');
    }
    const anonymous = await handler(browserEvent('GET /portal'));
    expect(anonymous.statusCode).toBe(303);
    expect((anonymous as { headers?: Record<string, unknown> }).headers?.location).toBe(
      '/console/sign-in?next=%2Fportal',
    );
  });

  it('sends a form posted after the session ended to sign in, back to the page the form was on, saying it was not saved', async () => {
    const world = portalWorld();
    const handler = makeApplicationsHandler(world.deps as Parameters<typeof makeApplicationsHandler>[0]);
    const route = 'POST /portal/applications/{applicationId}/form';
    const post = (headers: Record<string, string> = {}) =>
      handler(browserEvent(route, { body: 'revision=0', path: { applicationId: APP_ID }, headers }));
    const locationOf = (answer: Awaited<ReturnType<typeof post>>) =>
      (answer as { headers?: Record<string, unknown> }).headers?.location;

    // The form's own page, as the browser names it (the pages send their path to this site).
    const fromForm = await post({ referer: `http://clusters.example/portal/edit?id=${APP_ID}&lang=en` });
    expect(fromForm.statusCode).toBe(303);
    expect(locationOf(fromForm)).toBe(
      `/console/sign-in?next=${encodeURIComponent(`/portal/edit?id=${APP_ID}&lang=en`)}&unsaved=1`,
    );
    // Not the POST's own path (a GET there answers 405), and never another site's page: the portal's home.
    const elsewhere: Record<string, string>[] = [
      {},
      { referer: 'https://elsewhere.example/portal/edit?id=x' },
      { referer: 'nonsense' },
    ];
    for (const headers of elsewhere) {
      expect(locationOf(await post(headers)), JSON.stringify(headers)).toBe(
        '/console/sign-in?next=%2Fportal&unsaved=1',
      );
    }
  });

  it('saves a form-encoded 申报表 and answers 303; refuses the same POST from another site', async () => {
    const world = portalWorld();
    const handler = makeApplicationsHandler(world.deps as Parameters<typeof makeApplicationsHandler>[0]);
    const cookies = [`cp_session=${await issuer.token(PEOPLE.dunhuaApplicant)}`];
    const body = new URLSearchParams({
      clusterName: '敦化市医药产业集群',
      leadingIndustry: '医药',
      subSector: '中成药',
      'form.contact.name': '李明',
      revision: '0',
    }).toString();
    const route = 'POST /portal/applications/{applicationId}/form';
    const crossSite = await handler(
      browserEvent(route, { cookies, body, path: { applicationId: APP_ID }, site: 'cross-site' }),
    );
    expect(crossSite.statusCode).toBe(403);
    expect(world.records.applications.get(APP_ID)?.revision).toBe(0);

    const saved = await handler(browserEvent(route, { cookies, body, path: { applicationId: APP_ID } }));
    expect(saved.statusCode).toBe(303);
    expect(world.records.applications.get(APP_ID)?.form).toEqual({ contact: { name: '李明' } });
  });
});
