/**
 * A local SMTP submission server (`npm start -- --mailer smtp`): the stand-in for the mail
 * provider the AWS China regions use instead of SES. smtp-server in-process on 127.0.0.1, STARTTLS
 * with a self-signed certificate (made with openssl on first start, kept under the data dir, which
 * git ignores), TLS 1.2 at least, AUTH required and only after STARTTLS. What the pipeline's
 * SMTP mailer needs to reach it goes into `<dataDir>/smtp/settings.json` (host, port, login and
 * the certificate to trust): the same JSON as the SmtpSettings secret in AWS.
 *
 * Received mail is read (subject, text, HTML) and listed by a small inbox on its own port, in
 * the shape aws-ses-v2-local lists SES mail: `GET /store` (JSON, `?since=<epoch seconds>`),
 * `GET /` (a page), `POST /clear-store`. Kept in `<dataDir>/smtp/emails.jsonl`, loaded back on
 * start, like the SES inbox.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { StoredEmail } from '../client/mailbox.ts';
import { type Log, StartupError } from '../log.ts';
import { boundPort } from '../ports.ts';
import { appendLine, ensureDir, readLines, repairTail } from '../stepfunctions/journal.ts';
import { readMessage } from './smtp-message.ts';

export interface SmtpLocalOptions {
  /** `<dataDir>/smtp`: the certificate, the login, the settings file and the received mail. */
  directory: string;
  /** SMTP port on 127.0.0.1; 0 = any free port. */
  port: number;
  /** The inbox page's port on 127.0.0.1; 0 = any free port. */
  inboxPort: number;
  log: Log;
}

export interface SmtpLocal {
  /** smtp://127.0.0.1:<port> (STARTTLS). */
  endpoint: string;
  /** http://127.0.0.1:<port>: the inbox (`/store` lists what arrived). */
  inbox: string;
  port: number;
  inboxPort: number;
  /** The JSON the SMTP mailer reads (SMTP_SETTINGS_FILE): host, port, login, the certificate. */
  settingsFile: string;
  /** The login the server accepts from now on (a password changed at the provider). */
  acceptLogin(login: { username: string; password: string }): void;
  stop(): Promise<void>;
}

interface Login {
  username: string;
  password: string;
}

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export async function startSmtpLocal(options: SmtpLocalOptions): Promise<SmtpLocal> {
  const dir = options.directory;
  ensureDir(dir);
  const { key, cert } = ensureCertificate(dir);
  let login = ensureLogin(join(dir, 'login.json'));
  const storeFile = join(dir, 'emails.jsonl');
  repairTail(storeFile);
  const emails = readLines(storeFile) as StoredEmail[];

  const server = new SMTPServer({
    name: 'localhost',
    banner: 'local SMTP stand-in (cluster pipeline)',
    secure: false,
    key,
    cert,
    minVersion: 'TLSv1.2',
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH only after STARTTLS, and no mail without AUTH.
    allowInsecureAuth: false,
    authOptional: false,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.username && auth.password === login.password) {
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
          return;
        }
        const message = readMessage(Buffer.concat(chunks));
        const mailFrom = session.envelope.mailFrom;
        const email: StoredEmail = {
          messageId: message.messageId?.replace(/^<|>$/g, '') ?? randomUUID(),
          from: mailFrom ? mailFrom.address : '',
          destination: { to: session.envelope.rcptTo.map((rcpt) => rcpt.address), cc: [], bcc: [] },
          subject: message.subject,
          body: {
            ...(message.text !== undefined && { text: message.text }),
            ...(message.html !== undefined && { html: message.html }),
          },
          at: Math.floor(Date.now() / 1000),
        };
        // On disk before the server answers 250, as the SES inbox does.
        appendLine(storeFile, email);
        emails.push(email);
        callback(null, `queued as ${email.messageId}`);
      });
    },
  });
  server.on('error', (error) => options.log.error('SMTP server error', error));

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(
              `Port ${options.port} is in use, so the SMTP stand-in cannot listen there: pass --smtp-port <port>.`,
            )
          : error,
      );
    server.server.once('error', failed);
    server.listen(options.port, '127.0.0.1', () => {
      server.server.off('error', failed);
      resolve();
    });
  });
  const port = boundPort(server.server);

  const inbox = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/store') {
      const since = url.searchParams.get('since');
      const from = since === null ? undefined : Number(since);
      if (from !== undefined && !Number.isInteger(from)) {
        response.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"since: epoch seconds"}');
        return;
      }
      const listed = from === undefined ? emails : emails.filter((email) => email.at >= from);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ emails: listed }));
      return;
    }
    if (request.method === 'POST' && url.pathname === '/clear-store') {
      emails.length = 0;
      writeFileSync(storeFile, '');
      response.writeHead(204).end();
      return;
    }
    if (request.method === 'GET' && url.pathname === '/') {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      response.end(inboxPage(emails));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    inbox.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(
              `Port ${options.inboxPort} is in use, so the SMTP inbox cannot listen there: pass --smtp-inbox-port <port>.`,
            )
          : error,
      ),
    );
    inbox.listen(options.inboxPort, '127.0.0.1', resolve);
  });
  const inboxPort = boundPort(inbox);

  const settingsFile = join(dir, 'settings.json');
  const writeSettings = () =>
    writeFileSync(
      settingsFile,
      `${JSON.stringify({ host: '127.0.0.1', port, secure: false, ...login, ca: cert }, null, 2)}\n`,
      { mode: 0o600 },
    );
  writeSettings();
  const endpoint = `smtp://127.0.0.1:${port}`;
  options.log.info(`SMTP stand-in on ${endpoint} (STARTTLS, AUTH required); inbox at http://127.0.0.1:${inboxPort}/`);

  return {
    endpoint,
    inbox: `http://127.0.0.1:${inboxPort}`,
    port,
    inboxPort,
    settingsFile,
    acceptLogin(next) {
      login = { ...next };
    },
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve, reject) => {
        inbox.close((error) => (error ? reject(error) : resolve()));
        inbox.closeAllConnections();
      });
    },
  };
}

/** The server's key and self-signed certificate (localhost, 127.0.0.1), made once per data dir. */
function ensureCertificate(dir: string): { key: string; cert: string } {
  const keyFile = join(dir, 'server-key.pem');
  const certFile = join(dir, 'server-cert.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '825',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
          '-keyout',
          keyFile,
          '-out',
          certFile,
        ],
        { stdio: 'ignore' },
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new StartupError(
          'The SMTP stand-in makes its TLS certificate with openssl, which is not installed (Debian: apt-get install openssl).',
        );
      }
      throw error;
    }
    chmodSync(keyFile, 0o600);
  }
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

/** The login the stand-in accepts: a random password made on first start. */
function ensureLogin(file: string): Login {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Login;
  const login = { username: 'pipeline', password: randomBytes(18).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(login)}\n`, { mode: 0o600 });
  return login;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

/** Newest first: who, what, when, and the text (links as links). */
function inboxPage(emails: readonly StoredEmail[]): string {
  const items = [...emails]
    .reverse()
    .map((email) => {
      const text = escapeHtml(email.body.text ?? '').replace(
        /(https?:\/\/[^\s"<>]+)/g,
        (url) => `<a href="${url}">${url}</a>`,
      );
      return `<article><h2>${escapeHtml(email.subject)}</h2><p><small>${escapeHtml(email.from)} → ${escapeHtml(
        email.destination.to.join(', '),
      )} · ${new Date(email.at * 1000).toISOString()}</small></p><pre>${text}</pre></article>`;
    })
    .join('\n');
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>SMTP inbox (local)</title>
<style>body{font-family:sans-serif;margin:1rem;max-width:60rem}pre{white-space:pre-wrap;word-break:break-word}article{border-bottom:1px solid #ccc}</style></head>
<body><h1>SMTP inbox (local) · ${emails.length}</h1>${items || '<p>No email yet.</p>'}</body></html>`;
}
