/**
 * `npm start`: the whole pipeline on this machine, no AWS account.
 *
 *   npm start -- [--port 3000] [--data-dir .data] [--dynamo-port 8000] [--s3-port 4568] [--ses-port 8005]
 *                [--speedup N] [--quiet] [--mailer ses|smtp] [--smtp-port 2525] [--smtp-inbox-port 8025]
 *
 * --speedup N (or CLOCK_SPEEDUP) runs the review ladder's clock N times faster: every Wait (the
 * province's batch date, the public notice) and every stage timeout passes N times sooner. For
 * demos: with 200000 a 60-day wait takes 26 s. Deadlines stored and shown stay real dates.
 *
 * --mailer smtp (or MAILER=smtp) sends the pipeline's email over SMTP, as in the AWS China regions:
 * to a local SMTP server on 127.0.0.1 (STARTTLS with a self-signed certificate, AUTH required),
 * whose inbox page lists what arrived. The default stays SES (aws-ses-v2-local).
 *
 * PORT, DATA_DIR, DYNAMO_PORT, S3_PORT and SES_PORT work too. A default service port that is taken
 * is replaced by a free one; a port given explicitly must be free. Data persists under the data
 * dir (ignored by git): stop with Ctrl-C, start again, nothing is lost. Even killed outright
 * (SIGKILL), a start on the same data dir resumes every review ladder where it was, and review
 * links already emailed keep working (see local/stepfunctions/README.md).
 */
import { createServer } from 'node:net';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAILERS, type MailerKind } from '../shared/composition/env.ts';
import { REPO_ROOT } from './lambda.ts';
import { StartupError } from './log.ts';
import { findFreePort } from './ports.ts';
import { type LocalStack, startLocalStack } from './stack.ts';

const DEFAULT_PORTS = { api: 3000, dynamo: 8000, s3: 4568, ses: 8005, smtp: 2525, smtpInbox: 8025 } as const;

function parsePort(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`${name} must be a port number (0-65535), got "${value}"`);
  }
  return port;
}

class UsageError extends StartupError {}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, host, () => server.close(() => resolvePort(true)));
  });
}

/** The given port, or the default if it is free, or else any free port. */
async function choosePort(given: number | undefined, fallback: number, host = '127.0.0.1'): Promise<number> {
  if (given !== undefined) return given;
  return (await canListen(fallback, host)) ? fallback : findFreePort(host);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      'data-dir': { type: 'string' },
      'dynamo-port': { type: 'string' },
      's3-port': { type: 'string' },
      'ses-port': { type: 'string' },
      mailer: { type: 'string' },
      'smtp-port': { type: 'string' },
      'smtp-inbox-port': { type: 'string' },
      speedup: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(
      'npm start -- [--port 3000] [--data-dir .data] [--dynamo-port 8000] [--s3-port 4568] [--ses-port 8005] [--speedup N] [--quiet]\n' +
        '             [--mailer ses|smtp] [--smtp-port 2525] [--smtp-inbox-port 8025]',
    );
    return;
  }

  const apiPort = parsePort('--port', values.port ?? process.env.PORT) ?? DEFAULT_PORTS.api;
  const dataDir = resolve(REPO_ROOT, values['data-dir'] ?? process.env.DATA_DIR ?? '.data');
  const dynamoPort = await choosePort(
    parsePort('--dynamo-port', values['dynamo-port'] ?? process.env.DYNAMO_PORT),
    DEFAULT_PORTS.dynamo,
    '0.0.0.0',
  );
  const s3Port = await choosePort(parsePort('--s3-port', values['s3-port'] ?? process.env.S3_PORT), DEFAULT_PORTS.s3);
  const sesPort = await choosePort(
    parsePort('--ses-port', values['ses-port'] ?? process.env.SES_PORT),
    DEFAULT_PORTS.ses,
  );

  const mailerText = values.mailer ?? process.env.MAILER ?? 'ses';
  if (!(MAILERS as readonly string[]).includes(mailerText)) {
    throw new UsageError(`--mailer must be one of ${MAILERS.join(', ')}, got "${mailerText}"`);
  }
  const mailer = mailerText as MailerKind;
  const smtpPorts =
    mailer === 'smtp'
      ? {
          smtpPort: await choosePort(parsePort('--smtp-port', values['smtp-port']), DEFAULT_PORTS.smtp),
          smtpInboxPort: await choosePort(
            parsePort('--smtp-inbox-port', values['smtp-inbox-port']),
            DEFAULT_PORTS.smtpInbox,
          ),
        }
      : {};

  const speedupText = values.speedup ?? process.env.CLOCK_SPEEDUP;
  const speedup = speedupText === undefined ? 1 : Number(speedupText);
  if (!Number.isFinite(speedup) || speedup < 1) {
    throw new UsageError(`--speedup must be a number ≥ 1, got "${speedupText}"`);
  }

  console.log('Starting the local pipeline (DynamoDB Local takes a few seconds)…');
  const stack = await startLocalStack({
    dataDir,
    apiPort,
    dynamoPort,
    s3Port,
    sesPort,
    mailer,
    ...smtpPorts,
    quiet: values.quiet,
    stepFunctions: { clock: { speedup } },
    // The sweeper (deadline reminders, escalation, metrics), hourly as in AWS, sooner with --speedup.
    schedules: true,
  });
  if (speedup !== 1) {
    console.log(`  Review ladder clock: ${speedup}× real time (waits and stage timeouts pass ${speedup} times sooner)`);
  }

  // One Ctrl-C often arrives twice (the terminal signals the whole process group, and npm and tsx
  // also forward it): repeats within a second are the same request; a later one forces the exit.
  let stoppingSince: number | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < 1_000) return;
      console.log(`\n${signal} again: exiting now.`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping…`);
    stack.stop().then(
      () => {
        console.log('Stopped. Data kept in', dataDir);
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (!values.quiet) {
    // Each upload's check as it ends (resume.test.ts waits for these lines too).
    stack.onValidated((event) =>
      console.log('[validator]', `${event.key}: ${event.ok ? 'checked' : `failed (${event.error ?? 'no detail'})`}`),
    );
  }

  printTable(stack);
  await printOpenCampaigns(stack);
  console.log('\nCtrl-C stops everything.');
}

function printTable(stack: LocalStack): void {
  const fromCwd = relative(process.cwd(), stack.dataDir) || '.';
  const dataDir = fromCwd.startsWith('..') ? stack.dataDir : fromCwd;
  const rows: [string, string, string][] = [
    ['API (HTTP API v1)', stack.apiUrl, `try ${stack.apiUrl}/v1/campaigns`],
    ['Ops console', `${stack.apiUrl}/console`, `sign in with a token; reviewers' inbox: ${stack.apiUrl}/console/inbox`],
    [
      'Applicant portal',
      `${stack.apiUrl}/portal`,
      'county officials: sign in as an applicant of the county (申报单位)',
    ],
    [
      'Public notice (公示)',
      `${stack.apiUrl}/notice`,
      `no sign-in; objections are triaged at ${stack.apiUrl}/console/objections`,
    ],
    [
      'Sign-in (local issuer)',
      `${stack.apiUrl}/local-issuer/`,
      "stands in for Cognito: the console's sign-in button leads there; tokens: see below",
    ],
    ['S3 (s3rver)', stack.endpoints.s3, `bucket ${stack.bucketName}`],
    [
      'DynamoDB Local',
      stack.endpoints.dynamodb,
      `table ${stack.tableName}; NOTE: listens on ALL interfaces (no bind option)`,
    ],
    stack.smtp
      ? ['SMTP (smtp-server)', stack.smtp.endpoint, `STARTTLS + AUTH; inbox: ${stack.smtp.inbox}/  (JSON: /store)`]
      : ['SES (aws-ses-v2-local)', stack.endpoints.ses, `inbox: ${stack.endpoints.ses}/  (JSON: /store)`],
    [
      'Step Functions (local)',
      stack.endpoints.stepfunctions,
      `state machines: ${Object.keys(stack.stateMachineArns).join(', ') || 'none'}`,
    ],
    ['Data dir', dataDir, 'delete it to start from scratch'],
  ];
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  console.log('');
  for (const [what, where, note] of rows) {
    console.log(`  ${what.padEnd(widths[0] ?? 0)}  ${where.padEnd(widths[1] ?? 0)}  ${note}`);
  }
  console.log(
    `\n  Region ${stack.region}, access key ${stack.env.AWS_ACCESS_KEY_ID}. Dead letters: ${stack.deadLetterFile}`,
  );
  // Every route but the review links and the console's sign-in needs an ID token (as in AWS).
  const dataDirArg = dataDir === '.data' ? '' : ` --data-dir ${dataDir}`;
  console.log(
    [
      '',
      '  Signing in: every API call needs "Authorization: Bearer <ID token>"; the console takes the token on its sign-in page.',
      `  A token for a role and jurisdiction:  npm run token -- --role operator --jurisdiction 000000${dataDirArg}`,
      '    roles: applicant (a county code, e.g. 222403) · reviewer (a city, province or 000000) · operator (000000 or a province)',
      `  e.g.  curl -H "Authorization: Bearer $(npm run -s token -- --role applicant --jurisdiction 222403${dataDirArg})" ${stack.apiUrl}/v1/campaigns`,
    ].join('\n'),
  );
}

/** Asks the API which campaigns are open; tolerant of a handler still being written. */
async function printOpenCampaigns(stack: LocalStack): Promise<void> {
  let payload: unknown;
  try {
    // Asked as a national operator, with a token from the stack's own issuer.
    const token = await stack.issuer.issue(
      { sub: 'npm-start', role: 'operator', jurisdiction: '000000' },
      { hours: 1 },
    );
    const response = await fetch(`${stack.apiUrl}/v1/campaigns`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (!response.ok) {
      console.log(`\nGET /v1/campaigns answered ${response.status}: ${text.slice(0, 200)}`);
      return;
    }
    payload = text ? JSON.parse(text) : null;
  } catch (error) {
    console.log(`\nGET /v1/campaigns failed: ${(error as Error).message}`);
    return;
  }
  const list = Array.isArray(payload)
    ? payload
    : Array.isArray((payload as { campaigns?: unknown })?.campaigns)
      ? (payload as { campaigns: unknown[] }).campaigns
      : [];
  const open = list.filter((c): c is Record<string, unknown> => isRecord(c) && c.open === true);
  if (open.length === 0) {
    console.log('\nCampaigns: none open: run `npm run demo` to create a demo campaign.');
    return;
  }
  console.log('\nOpen campaigns:');
  for (const campaign of open) {
    const id = shown(campaign.campaignId ?? campaign.id ?? '?');
    const name = displayName(campaign.name);
    const calendar = isRecord(campaign.calendar) ? campaign.calendar : {};
    const deadline = calendar.submission ?? calendar.city ?? calendar.province ?? campaign.deadline ?? '?';
    console.log(`  ${id}  ${name}  submissions due ${shown(deadline)}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field of an answer whose shape is not pinned here: a string as it is, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function displayName(name: unknown): string {
  if (typeof name === 'string') return name;
  if (isRecord(name)) return [name.zh, name.en].filter((part) => typeof part === 'string').join(' / ');
  return '';
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(`\n${error.message}`);
  } else {
    console.error('\nThe local pipeline could not start:', error);
  }
  process.exit(1);
});
