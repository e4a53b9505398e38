import { describe, expect, it } from 'vitest';
import { bundleMetafile, handlerEntries, sdkClientsIn } from '../../bench/bundles.ts';
import { WORKFLOW_TASKS } from '../../shared/ladder/tasks.ts';
import {
  API_FUNCTIONS,
  EVENT_FUNCTIONS,
  type FunctionSpec,
  SCHEDULED_FUNCTIONS,
} from '../../shared/platform/functions.ts';

const DYNAMODB = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
// SES, or the SMTP settings' secret where SES is not offered (the SMTP mailer, loaded on first use).
const MAIL = ['@aws-sdk/client-sesv2', '@aws-sdk/client-secrets-manager'];
const LINK_KEY = ['@aws-sdk/client-secrets-manager'];
const LADDER = ['@aws-sdk/client-sfn'];

/**
 * The SDK clients each handler's bundle carries: what its composition wires, and nothing it has
 * no grant to call (a client the role may not use is only weight at every cold start).
 */
const EXPECTED: Record<string, readonly string[]> = {
  campaigns: DYNAMODB,
  jurisdictions: [],
  applications: [...DYNAMODB, ...LADDER],
  // Presigns the upload form.
  evidence: [...DYNAMODB, '@aws-sdk/client-s3', '@aws-sdk/s3-presigned-post'],
  // The review page's short-lived evidence download links and the city's own uploads (presigned
  // POST); decisions answer the ladder's tasks.
  reviews: [
    ...DYNAMODB,
    '@aws-sdk/client-s3',
    '@aws-sdk/s3-request-presigner',
    '@aws-sdk/s3-presigned-post',
    ...MAIL,
    ...LINK_KEY,
    ...LADDER,
  ],
  ops: [...DYNAMODB, ...LADDER],
  exports: DYNAMODB,
  // The register: its entries and the recognised applications; the lists arrive in the body.
  register: DYNAMODB,
  // Submission packages: request objects and download links (the streaming is the builder's).
  packages: [...DYNAMODB, '@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'],
  // Streams evidence into a multipart upload of the ZIP, reads it back in ranges.
  packageBuilder: [...DYNAMODB, '@aws-sdk/client-s3', '@aws-sdk/lib-storage'],
  // Streams, hashes and quarantines uploads; a valid formal letter completes the level's
  // waiting formal-letter steps (their task tokens), and emails the level one a full quota keeps waiting.
  validator: [...DYNAMODB, '@aws-sdk/client-s3', ...MAIL, ...LADDER],
  // Annual reports: their records, and the county's upload form (presigned POST).
  annualReports: [...DYNAMODB, '@aws-sdk/client-s3', '@aws-sdk/s3-presigned-post'],
  // Reminders with fresh links: no evidence, no task tokens.
  sweeper: [...DYNAMODB, ...MAIL, ...LINK_KEY],
  ladderPrepareRoute: DYNAMODB,
  ladderEnterStage: DYNAMODB,
  // Emails the reviewers a link and answers a retried task itself; shows no evidence.
  ladderRequestReview: [...DYNAMODB, ...MAIL, ...LINK_KEY, ...LADDER],
  ladderMarkReturned: [...DYNAMODB, ...MAIL],
  ladderAwaitResubmission: DYNAMODB,
  ladderCloseApplication: [...DYNAMODB, ...MAIL],
  ladderStartPublicNotice: [...DYNAMODB, ...MAIL],
  ladderCheckObjections: DYNAMODB,
  ladderRecognize: [...DYNAMODB, ...MAIL],
};

/**
 * What each function's grants let it call (infra/constructs/handler-functions.ts): the table,
 * the bucket, SES or the SMTP secret for `mail` (by region), the link key for `links`, the ladder for the functions granted on it.
 */
function granted(name: string, spec: Omit<FunctionSpec, 'bucket'> & { bucket?: FunctionSpec['bucket'] }): Set<string> {
  const clients = new Set<string>();
  if (spec.table !== 'none') for (const client of DYNAMODB) clients.add(client);
  const bucket = spec.bucket ?? 'none';
  if (bucket !== 'none') clients.add('@aws-sdk/client-s3');
  if (bucket === 'put' || bucket === 'read-put' || bucket === 'annual-reports')
    clients.add('@aws-sdk/s3-presigned-post');
  if (bucket === 'read' || bucket === 'read-put') clients.add('@aws-sdk/s3-request-presigner');
  // Submission packages: download links for the API, the multipart upload for the builder.
  if (bucket === 'package-requests') clients.add('@aws-sdk/s3-request-presigner');
  if (bucket === 'package-build') clients.add('@aws-sdk/lib-storage');
  if (spec.mail) for (const client of MAIL) clients.add(client);
  if (spec.links) for (const client of LINK_KEY) clients.add(client);
  const onTheLadder =
    // The validator answers the formal-letter steps' task tokens (grantLadder).
    ['applications', 'reviews', 'validator', 'ladderRequestReview'].includes(name) || spec.stateMachine === 'operate';
  if (onTheLadder) for (const client of LADDER) clients.add(client);
  return clients;
}

const specs: Record<string, Parameters<typeof granted>[1]> = {
  ...API_FUNCTIONS,
  ...EVENT_FUNCTIONS,
  ...SCHEDULED_FUNCTIONS,
  ...Object.fromEntries(
    Object.entries(WORKFLOW_TASKS).map(([key, spec]) => [`ladder${key.charAt(0).toUpperCase()}${key.slice(1)}`, spec]),
  ),
};

describe('SDK clients in each handler bundle', () => {
  const entries = handlerEntries();

  it('lists every deployed handler, and only those', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(entries).sort());
  });

  it('expects, for each function, the clients of exactly what its grants let it call', () => {
    for (const [name, clients] of Object.entries(EXPECTED)) {
      const spec = specs[name];
      expect(spec, name).toBeDefined();
      expect([...new Set(clients)].sort(), name).toEqual([...granted(name, spec!)].sort());
    }
  });

  it.each(Object.entries(entries))('%s bundles exactly its clients', { timeout: 60_000 }, async (name, entry) => {
    const clients = sdkClientsIn(await bundleMetafile(entry));
    expect(clients).toEqual([...new Set(EXPECTED[name] ?? [])].sort());
  });
});
