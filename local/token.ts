/**
 * `npm run token -- --role reviewer --jurisdiction 222400 [--sub id] [--name 王审核] [--hours 8] [--data-dir .data]`
 * prints a token from the local issuer (the data folder's key, the claims Cognito gives), for
 * `Authorization: Bearer <token>` against `npm start`. Its `name` claim is the display name the
 * audit trail records beside the subject (the timelines show it).
 */
import { parseArgs } from 'node:util';
import { PrincipalSchema } from '../shared/platform/auth/principal.ts';
import { localIssuer } from './auth.ts';

const USAGE = `usage: npm run token -- --role applicant|reviewer|operator --jurisdiction <GB/T 2260 code> [options]

  --role          applicant, reviewer or operator (required)
  --jurisdiction  the GB/T 2260 code the person acts for, 000000 for MIIT (required)
  --sub           the token's subject (default <role>-<jurisdiction>)
  --name          the person's display name, up to 128 characters: the timelines show it
  --hours         how long it is valid, up to 24 (default 8)
  --data-dir      the data folder of \`npm start\`, whose issuer key signs it (default .data, from here)
  --help          this text`;

const OPTIONS = {
  role: { type: 'string' },
  jurisdiction: { type: 'string' },
  sub: { type: 'string' },
  name: { type: 'string' },
  hours: { type: 'string', default: '8' },
  'data-dir': { type: 'string', default: '.data' },
  help: { type: 'boolean', default: false },
} as const;

// Read loosely first, so --help and an unknown option are answered with the usage, not a stack trace.
const loose = parseArgs({ options: OPTIONS, strict: false }).values;
if (loose.help === true) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = Object.keys(loose).filter((name) => !(name in OPTIONS));
if (unknown.length > 0) {
  console.error(`  unknown option: ${unknown.map((name) => `--${name}`).join(', ')}`);
  console.error(USAGE);
  process.exit(2);
}
const { values } = parseArgs({ options: OPTIONS });

// A blank name names no one, as on the sign-in page.
const name = values.name?.trim();
const parsed = PrincipalSchema.safeParse({
  sub: values.sub ?? `${values.role ?? 'user'}-${values.jurisdiction ?? ''}`,
  role: values.role,
  jurisdiction: values.jurisdiction,
  ...(name && { name }),
});
const hours = Number(values.hours);
if (!parsed.success || !(hours > 0 && hours <= 24)) {
  for (const issue of parsed.success ? [] : parsed.error.issues)
    console.error(`  ${issue.path.join('.')}: ${issue.message}`);
  if (!(hours > 0 && hours <= 24)) console.error('  hours: between 0 and 24');
  console.error(USAGE);
  process.exit(2);
}
const issuer = await localIssuer(values['data-dir']);
console.log(await issuer.issue(parsed.data, { hours }));
