import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ObservedResponse, postPresigned } from '../../../local/client/index.ts';

/**
 * The API client against a tiny HTTP server that records what it was sent: the bearer token and
 * JSON body go along, every answer is seen by `onResponse` (path without its query), a reply's
 * typed body and error are each readable only when that is what came back, `around` can send
 * again, and the presigned POST is a multipart form with the policy fields before the file.
 */

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];
/** Answers to give, in order, before the default one. */
const scripted: { status: number; body: string; type?: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      const next = scripted.shift() ?? { status: 200, body: JSON.stringify({ campaigns: [] }) };
      response.writeHead(next.status, { 'content-type': next.type ?? 'application/json' });
      response.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('ApiClient', () => {
  it('sends the token and the JSON body, and shows every answer to onResponse', async () => {
    const seen: ObservedResponse[] = [];
    const client = new ApiClient({ baseUrl: `${baseUrl}/`, token: 'the-token', onResponse: (r) => void seen.push(r) });
    scripted.push({ status: 201, body: JSON.stringify({ applicationId: 'a1' }) });
    const created = await client.createApplication(
      {
        campaignId: 'c',
        track: 'recommendation',
        countyCode: '222403',
        clusterName: 'n',
        leadingIndustry: 'l',
        subSector: 's',
      },
      { idempotencyKey: 'k1' },
    );
    expect(created.status).toBe(201);
    expect(created.body.applicationId).toBe('a1');
    const request = received.at(-1);
    expect(request?.url).toBe('/v1/applications');
    expect(request?.headers.authorization).toBe('Bearer the-token');
    expect(request?.headers['idempotency-key']).toBe('k1');
    expect(JSON.parse(request?.body.toString() ?? '{}')).toMatchObject({ countyCode: '222403' });

    await client.opsSummary({ campaignId: 'c 1' });
    expect(received.at(-1)?.url).toBe('/v1/ops/summary?campaignId=c+1');
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/v1/applications',
        status: 201,
        contentType: 'application/json',
        body: { applicationId: 'a1' },
      },
      { method: 'GET', path: '/v1/ops/summary', status: 200, contentType: 'application/json', body: { campaigns: [] } },
    ]);
  });

  it('reads a refusal as the error, never as the typed body; and a success never as an error', async () => {
    const anonymous = new ApiClient({ baseUrl });
    scripted.push({ status: 409, body: JSON.stringify({ error: { code: 'ALREADY_SUBMITTED', message: 'no' } }) });
    const refused = await anonymous.submit('a1');
    expect(received.at(-1)?.headers.authorization).toBeUndefined();
    expect(refused.status).toBe(409);
    expect(refused.error.code).toBe('ALREADY_SUBMITTED');
    expect(() => refused.body).toThrow(/POST \/v1\/applications\/a1\/submit answered 409/);
    const listed = await anonymous.listCampaigns();
    expect(() => listed.error).toThrow(/expected an error answer/);
  });

  it('lets `around` send again, and hands the caller what it returns', async () => {
    let attempts = 0;
    const client = new ApiClient({
      baseUrl,
      around: async (_request, send) => {
        for (;;) {
          attempts += 1;
          const answer = await send();
          if (answer.status !== 503) return answer;
        }
      },
    });
    scripted.push({ status: 503, body: '{}' }, { status: 503, body: '{}' });
    expect((await client.listCampaigns()).status).toBe(200);
    expect(attempts).toBe(3);
  });

  it('posts a presigned POST as a browser does: the policy fields, then the file', async () => {
    scripted.push({ status: 204, body: '', type: 'text/plain' });
    const posted = await postPresigned(
      { url: `${baseUrl}/bucket`, fields: { key: 'evidence/a1/e1', Policy: 'p', 'Content-Type': 'application/pdf' } },
      { bytes: new TextEncoder().encode('%PDF-1.7'), fileName: '申报表.pdf' },
    );
    expect(posted.ok).toBe(true);
    const request = received.at(-1);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = request?.body.toString('utf8') ?? '';
    const order = ['name="key"', 'name="Policy"', 'name="Content-Type"', 'name="file"'].map((part) =>
      form.indexOf(part),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(form).toContain('%PDF-1.7');
  });
});
