import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../../local/log.ts';
import { type SmtpLocal, startSmtpLocal } from '../../../local/services/smtp.ts';
import { sentEmails } from '../../../local/client/mailbox.ts';
import {
  classifySmtpFailure,
  fileSmtpSettings,
  messageIdFor,
  SmtpMailer,
  type SmtpMailerOptions,
  type SmtpTransport,
  secretsManagerSmtpSettings,
} from '../../../shared/adapters/smtp-mailer.ts';
import { MAIL_ERRORS } from '../../../shared/ports/core.ts';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

const FROM = 'no-reply@clusters.example.gov.cn';
const SETTINGS = { host: 'smtp.example.gov.cn', port: 587, username: 'pipeline', password: 'pw-1' };
const EMAIL = {
  to: ['reviewer@yanbian.example.gov.cn'],
  subject: '敦化市医药产业集群 待审核 / Review requested',
  text: '请审核。\nPlease review: https://api.example.gov.cn/v1/reviews/r-1?t=abc',
  html: '<p>请审核 / Please review</p>',
  purpose: 'review-link/app-1.city.1/1',
};

/** An SMTP failure as nodemailer reports it. */
const smtpError = (code: string, responseCode?: number) =>
  Object.assign(new Error(`${code} ${responseCode ?? ''}`), { code, ...(responseCode && { responseCode }) });

/** A transport that answers each attempt from a script, and records what it was given. */
function scripted(outcomes: (Error | 'ok')[]) {
  const seen: { options: SMTPTransport.Options; message: SMTPTransport.MailOptions }[] = [];
  let closed = 0;
  const factory = (options: SMTPTransport.Options): SmtpTransport => ({
    sendMail: async (message) => {
      seen.push({ options, message });
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome !== 'ok') throw outcome;
      return { messageId: String(message.messageId) };
    },
    close: () => {
      closed += 1;
    },
  });
  return { factory, seen, closed: () => closed };
}

function mailer(outcomes: (Error | 'ok')[], options: Partial<SmtpMailerOptions> = {}) {
  const transport = scripted(outcomes);
  let reads = 0;
  const sleeps: number[] = [];
  const smtp = new SmtpMailer({
    from: FROM,
    settings: async () => {
      reads += 1;
      return JSON.stringify(SETTINGS);
    },
    transport: transport.factory,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { smtp, transport, reads: () => reads, sleeps };
}

describe('SmtpMailer (a scripted transport)', () => {
  it('requires TLS (STARTTLS on 587, no plaintext fallback), TLS 1.2 at least, checked certificates, the login from the secret and timeouts', async () => {
    const { smtp, transport } = mailer(['ok']);
    const { messageId } = await smtp.send(EMAIL);
    const [{ options, message } = {} as never] = transport.seen;
    expect(options).toMatchObject({
      host: 'smtp.example.gov.cn',
      port: 587,
      secure: false,
      requireTLS: true,
      ignoreTLS: false,
      auth: { user: 'pipeline', pass: 'pw-1' },
      tls: { minVersion: 'TLSv1.2', rejectUnauthorized: true },
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    expect(options.connectionTimeout).toBeGreaterThan(0);
    expect(options.greetingTimeout).toBeGreaterThan(0);
    expect(options.socketTimeout).toBeGreaterThan(0);
    expect(message).toMatchObject({
      from: FROM,
      to: EMAIL.to,
      subject: EMAIL.subject,
      text: EMAIL.text,
      html: EMAIL.html,
    });
    expect(message.messageId).toBe(`<${messageId}>`);
    expect(transport.closed()).toBe(1);
  });

  it('uses implicit TLS on 465 (secure) and reads `user` as the username', async () => {
    const transport = scripted(['ok']);
    const smtp = new SmtpMailer({
      from: FROM,
      settings: async () => JSON.stringify({ host: 'smtp.example.gov.cn', port: 465, user: 'u', password: 'p' }),
      transport: transport.factory,
    });
    await smtp.send(EMAIL);
    expect(transport.seen[0]?.options).toMatchObject({
      secure: true,
      requireTLS: false,
      auth: { user: 'u', pass: 'p' },
    });
  });

  it('derives the Message-ID from what the email is for: the same for the same purpose, another for another', () => {
    const first = messageIdFor(FROM, 'review-link/app-1.city.1/1');
    expect(first).toMatch(/^<[0-9a-f]{40}@clusters\.example\.gov\.cn>$/);
    expect(messageIdFor(FROM, 'review-link/app-1.city.1/1')).toBe(first);
    expect(messageIdFor(FROM, 'review-link/app-1.city.1/2')).not.toBe(first);
    // Without a purpose: random, but still one per send (see the retry test).
    expect(messageIdFor(FROM, undefined)).not.toBe(messageIdFor(FROM, undefined));
  });

  it('retries a 4xx answer and a lost connection with the same Message-ID, then succeeds', async () => {
    const { smtp, transport, sleeps } = mailer([smtpError('EENVELOPE', 451), smtpError('ECONNECTION'), 'ok']);
    const { messageId } = await smtp.send({ ...EMAIL, purpose: undefined });
    expect(transport.seen).toHaveLength(3);
    expect(new Set(transport.seen.map((s) => s.message.messageId))).toEqual(new Set([`<${messageId}>`]));
    expect(sleeps).toEqual([300, 1200]);
    expect(transport.closed()).toBe(3);
  });

  it('gives up after its attempts with Mail.Unavailable (the ladder retries that)', async () => {
    const { smtp, transport } = mailer([smtpError('ETIMEDOUT'), smtpError('ETIMEDOUT'), smtpError('ETIMEDOUT')]);
    const error = await smtp.send(EMAIL).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: MAIL_ERRORS.unavailable, attempts: 3 });
    expect(transport.seen).toHaveLength(3);
  });

  it('never retries a refused login or a refused recipient: Mail.Refused at once', async () => {
    for (const refusal of [smtpError('EAUTH', 535), smtpError('EENVELOPE', 550), smtpError('ETLS')]) {
      const { smtp, transport } = mailer([refusal, 'ok']);
      const error = await smtp.send(EMAIL).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: MAIL_ERRORS.refused, attempts: 1 });
      expect(transport.seen).toHaveLength(1);
    }
  });

  it('reads the secret once while it works, and again after a refused login (a new password)', async () => {
    const { smtp, reads } = mailer(['ok', 'ok', smtpError('EAUTH', 535), 'ok']);
    await smtp.send(EMAIL);
    await smtp.send(EMAIL);
    expect(reads()).toBe(1);
    await expect(smtp.send(EMAIL)).rejects.toMatchObject({ name: MAIL_ERRORS.refused });
    await smtp.send(EMAIL);
    expect(reads()).toBe(2);
  });

  it('names the bad fields of the settings, never their values', async () => {
    const smtp = new SmtpMailer({
      from: FROM,
      settings: async () => JSON.stringify({ host: '', port: 'x', username: 'u', password: 'hunter2-secret' }),
      transport: scripted([]).factory,
    });
    const error = (await smtp.send(EMAIL).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/host, port/);
    expect(error.message).not.toContain('hunter2');
    await expect(
      new SmtpMailer({ from: FROM, settings: async () => 'not json', transport: scripted([]).factory }).send(EMAIL),
    ).rejects.toThrow(/not JSON/);
  });

  it('reads the secret from Secrets Manager (its current version)', async () => {
    const asked: unknown[] = [];
    const source = secretsManagerSmtpSettings(async (input) => {
      asked.push(input);
      return { SecretString: JSON.stringify(SETTINGS) };
    }, 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:SmtpSettings-abc');
    expect(JSON.parse(await source())).toEqual(SETTINGS);
    expect(asked).toEqual([{ SecretId: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:SmtpSettings-abc' }]);
    await expect(secretsManagerSmtpSettings(async () => ({}), 'arn:x')()).rejects.toThrow(/no string value/);
  });

  it('classifies failures: 4xx and lost connections are transient, 5xx and the rest permanent', () => {
    expect(classifySmtpFailure(smtpError('EAUTH', 454))).toBe('transient');
    expect(classifySmtpFailure(smtpError('EAUTH', 535))).toBe('permanent');
    expect(classifySmtpFailure(smtpError('ESOCKET'))).toBe('transient');
    expect(classifySmtpFailure(smtpError('EDNS'))).toBe('transient');
    expect(classifySmtpFailure(smtpError('ETLS'))).toBe('permanent');
    expect(
      classifySmtpFailure(Object.assign(smtpError('ESOCKET'), { originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' })),
    ).toBe('permanent');
    expect(classifySmtpFailure(new Error('odd'))).toBe('permanent');
  });
});

describe('SmtpMailer against a real SMTP server (the local stand-in: STARTTLS, AUTH)', () => {
  let dir: string;
  let server: SmtpLocal;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smtp-mailer-'));
    server = await startSmtpLocal({ directory: dir, port: 0, inboxPort: 0, log: silentLog });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const realMailer = (settingsFile = server.settingsFile) =>
    new SmtpMailer({ from: FROM, settings: fileSmtpSettings(settingsFile), retryDelaysMs: [0, 0] });

  it('delivers a bilingual email over STARTTLS with the login; the inbox lists it, read', async () => {
    const { messageId } = await realMailer().send(EMAIL);
    const [received] = (await sentEmails(server.inbox)).filter((email) => email.messageId === messageId);
    expect(received).toMatchObject({
      from: FROM,
      destination: { to: EMAIL.to },
      subject: EMAIL.subject,
      body: { text: EMAIL.text, html: EMAIL.html },
    });
    expect(messageId).toBe(messageIdFor(FROM, EMAIL.purpose).slice(1, -1));
  });

  it('refuses a wrong password as Mail.Refused (535), and nothing arrives', async () => {
    const before = (await sentEmails(server.inbox)).length;
    const wrong = join(dir, 'wrong.json');
    const settings = JSON.parse(await readFile(server.settingsFile, 'utf8'));
    await writeFile(wrong, JSON.stringify({ ...settings, password: 'not-the-password' }));
    const error = await realMailer(wrong)
      .send(EMAIL)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: MAIL_ERRORS.refused, responseCode: 535, attempts: 1 });
    expect(await sentEmails(server.inbox)).toHaveLength(before);
  });

  it('refuses a certificate it was not told to trust (no CA in the settings)', async () => {
    const untrusted = join(dir, 'untrusted.json');
    const { ca: _ca, ...settings } = JSON.parse(await readFile(server.settingsFile, 'utf8'));
    await writeFile(untrusted, JSON.stringify(settings));
    await expect(realMailer(untrusted).send(EMAIL)).rejects.toMatchObject({ name: MAIL_ERRORS.refused });
  });

  it('never falls back to plaintext: a server that offers no STARTTLS gets no login and no email', async () => {
    let authAttempts = 0;
    let messages = 0;
    const plain = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (_auth, _session, callback) => {
        authAttempts += 1;
        callback(null, { user: 'x' });
      },
      onData: (stream, _session, callback) => {
        messages += 1;
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const address = plain.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const settingsFile = join(dir, 'plain.json');
      await writeFile(settingsFile, JSON.stringify({ host: '127.0.0.1', port, username: 'u', password: 'p' }));
      await expect(realMailer(settingsFile).send(EMAIL)).rejects.toMatchObject({ name: MAIL_ERRORS.refused });
      expect([authAttempts, messages]).toEqual([0, 0]);
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});
