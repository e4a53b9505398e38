import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayListener } from '../../../local/gateway/server.ts';
import type { Log } from '../../../local/log.ts';

/*
 * A request aborted while its body is read (a closed tab, a dropped connection) is logged by the
 * gateway: without the query, where a review link carries its secret.
 */

const SECRET = 'q7XkP2vN9sLm4RtY8wZc3Hb6JdFg1AeU';
const lines: string[] = [];
let logged: (line: string) => void = () => undefined;
const log: Log = {
  info: (message) => lines.push(message),
  warn: (message) => lines.push(message),
  error: (message, error) => {
    const line = `${message} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    lines.push(line);
    logged(line);
  },
};
let server: Server;

beforeAll(async () => {
  server = createServer(
    createGatewayListener({ log, loadHandler: () => Promise.reject(new Error('no handler runs here')) }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the local gateway on an aborted request', () => {
  it('logs the failure without the review link secret', async () => {
    const errorLine = new Promise<string>((resolve) => {
      logged = resolve;
    });
    const { port } = server.address() as AddressInfo;
    const sent = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/v1/reviews/r-1/decision?t=${SECRET}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '4096' },
    });
    sent.on('error', () => undefined);
    // Half the declared body, then the connection drops.
    sent.write('decision=approve&reason=', () => sent.destroy());
    const line = await errorLine;
    expect(line).toContain('/v1/reviews/r-1/decision?…');
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
