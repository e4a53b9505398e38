import { Token } from 'aws-cdk-lib';
import { MAILERS, type MailerKind } from '../shared/composition/env.ts';

/**
 * Settings shared by the stacks: the browser origins that may call the API and upload evidence,
 * and the stage name that prefixes stack names. Both are checked when a stack is built, so a bad
 * value fails `cdk synth` with a message naming the value, not a deploy half an hour later.
 */

/** Used when the app gets no `allowedOrigins` context: the local web front end. */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = ['http://localhost:3000', 'http://127.0.0.1:3000'];

export const DEFAULT_STAGE = 'dev';

/** Prefix of every stack name: `ClusterPipeline-<stage>-Stateful` and `…-Stateless`. */
export const APP_NAME = 'ClusterPipeline';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Throws unless `origins` is a non-empty list of exact browser origins (`scheme://host[:port]`).
 * Wildcards are refused: evidence uploads and the API carry applicants' data, and an origin
 * pattern would let any matching site drive a signed-in user's browser against them.
 * Plain http is accepted for loopback hosts only (local development).
 */
export function assertAllowedOrigins(origins: readonly string[]): void {
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new Error(
      'allowedOrigins must list at least one origin, e.g. ["https://clusters.example.gov.cn"]; ' +
        'pass it with `-c allowedOrigins=https://a.example,https://b.example` or in cdk.json',
    );
  }
  for (const origin of origins) {
    if (typeof origin !== 'string' || origin.trim() === '') {
      throw new Error(`allowedOrigins: ${JSON.stringify(origin)} is not an origin`);
    }
    if (origin.includes('*')) {
      throw new Error(
        `allowedOrigins: wildcard origin "${origin}" is not allowed; list each origin exactly, e.g. "https://clusters.example.gov.cn"`,
      );
    }
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`allowedOrigins: "${origin}" is not a URL; expected scheme://host[:port]`);
    }
    if (url.origin !== origin) {
      throw new Error(
        `allowedOrigins: "${origin}" must be exactly scheme://host[:port] with no path, query or trailing slash (did you mean "${url.origin}"?)`,
      );
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      throw new Error(`allowedOrigins: "${origin}" must use https (plain http is accepted for localhost only)`);
    }
  }
}

/** Throws unless `stage` is a short lower-case name usable in stack names. */
export function assertStage(stage: string): void {
  if (typeof stage !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(
      `stage ${JSON.stringify(stage)} must be 1-20 characters of lower-case letters, digits and "-", starting with a letter`,
    );
  }
}

/**
 * Reads the `allowedOrigins` context value. cdk.json gives a JSON array; `-c` on the command line
 * gives a string, either a JSON array or a comma-separated list.
 */
export function parseAllowedOrigins(value: unknown): string[] {
  if (value === undefined || value === null) return [...DEFAULT_ALLOWED_ORIGINS];
  if (Array.isArray(value)) return value.map((item) => String(item).trim());
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[') || text.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`allowedOrigins: ${text} is not valid JSON; expected a JSON array of origins`);
      }
      if (!Array.isArray(parsed)) throw new Error('allowedOrigins: expected a JSON array of origins');
      return parsed.map((item) => String(item).trim());
    }
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  throw new Error(`allowedOrigins: expected a list of origins, got ${JSON.stringify(value)}`);
}

/** Used when the app gets no `senderEmail` context: replace it with an SES-verified identity. */
export const DEFAULT_SENDER_EMAIL = 'no-reply@clusters.example.gov.cn';

const EMAIL_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/**
 * Throws unless `address` is a bare email address (the From of every email, an SES verified
 * identity). A display name ("Clusters <no-reply@…>") is refused: the IAM grant is scoped to the
 * address and its domain, which must be read from it exactly.
 */
export function assertSenderEmail(address: string): void {
  if (typeof address !== 'string' || !EMAIL_ADDRESS.test(address)) {
    throw new Error(
      `senderEmail ${JSON.stringify(address)} must be a bare email address such as "no-reply@clusters.example.gov.cn" ` +
        '(an SES verified identity); pass it with `-c senderEmail=…` or in cdk.json',
    );
  }
}

/**
 * Throws unless `address` is a bare email address for alarm notifications (`-c alarmEmail=…`).
 * The SNS email subscription must be confirmed from that mailbox before alarms arrive there.
 */
export function assertAlarmEmail(address: string): void {
  if (typeof address !== 'string' || !EMAIL_ADDRESS.test(address)) {
    throw new Error(
      `alarmEmail ${JSON.stringify(address)} must be a bare email address such as "ops@clusters.example.gov.cn"; ` +
        'pass it with `-c alarmEmail=…` or in cdk.json, or leave it out and subscribe to the alarm topic yourself',
    );
  }
}

/** Default of the "many reviews due within 24 hours" alarm threshold (reviews, all stages). */
export const DEFAULT_REVIEWS_DUE_ALARM_THRESHOLD = 10;

/**
 * Throws unless `url` can prefix the links in emails (`<url>/v1/reviews/…`): https (plain http for
 * loopback hosts only), no query, fragment or trailing slash. A path is allowed (a custom domain
 * mapping such as https://clusters.example.gov.cn/api).
 */
export function assertPublicBaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`publicBaseUrl: "${url}" is not a URL; expected e.g. "https://clusters.example.gov.cn"`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) {
    throw new Error(`publicBaseUrl: "${url}" must use https (plain http is accepted for localhost only)`);
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new Error(`publicBaseUrl: "${url}" must have no query, fragment or credentials`);
  }
  if (url.endsWith('/')) {
    throw new Error(`publicBaseUrl: "${url}" must not end with "/" (links append "/v1/…")`);
  }
}

/** The AWS China regions (partition aws-cn), where SES is not offered. */
export const CHINA_REGIONS: readonly string[] = ['cn-north-1', 'cn-northwest-1'];

/** True for a literal China region; false for any other region and for an unresolved token. */
export function isChinaRegion(region: string | undefined): boolean {
  return region !== undefined && CHINA_REGIONS.includes(region);
}

/**
 * A context value as text: a string as given on the command line, a number or boolean from
 * cdk.json as written there (an object reads as its JSON, never as "[object Object]").
 */
export function contextText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Reads the `mailer` context (`-c mailer=smtp`): how the functions send email. Undefined when not
 * given: SES, or SMTP in a China region (see `mailerFor`).
 */
export function parseMailer(value: unknown): MailerKind | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = contextText(value).trim();
  if (!(MAILERS as readonly string[]).includes(text)) {
    throw new Error(`mailer ${JSON.stringify(value)} must be one of ${MAILERS.join(', ')} (e.g. -c mailer=smtp)`);
  }
  return text as MailerKind;
}

/**
 * The mailer of a stack in `region`: the one asked for, else SMTP in the China regions and SES
 * elsewhere. SES asked for in a China region is refused at synth: it is not offered there.
 */
export function mailerFor(region: string | undefined, asked: MailerKind | undefined): MailerKind {
  if (asked === 'ses' && isChinaRegion(region)) {
    throw new Error(
      `mailer "ses": Amazon SES is not offered in the AWS China regions (${region}); deploy with -c mailer=smtp ` +
        'and put the SMTP endpoint into the SmtpSettings secret (docs/security.md: The China regions)',
    );
  }
  return asked ?? (isChinaRegion(region) ? 'smtp' : 'ses');
}

/**
 * Length of the generated review-link key (letters and digits: about 380 bits). One number for
 * the first key (the stateful stack's generateSecretString) and the rotated ones
 * (shared/adapters/link-key-rotation.ts).
 */
export { LINK_KEY_LENGTH } from '../shared/adapters/link-key-rotation.ts';

/**
 * The review-link key's rotation: Secrets Manager runs this handler (the four rotation steps)
 * every `everyDays`, and on `aws secretsmanager rotate-secret`. It lives beside the secret, in the
 * stateful stack (infra/stacks/stateful-stack.ts says why).
 */
export const LINK_KEY_ROTATION = {
  entry: 'functions/rotate-link-key.ts',
  everyDays: 90,
} as const;

/**
 * The OpenID Connect issuer whose ID tokens the API accepts: the stateful stack's Cognito user
 * pool, or (`-c oidcIssuer=… -c oidcAudience=…`) another provider, as the AWS China regions need.
 * The JWT authorizer checks `iss` and `aud`; the handlers verify tokens themselves with the same
 * values on the routes it does not guard (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL).
 */
export interface TokenIssuer {
  /** The tokens' `iss`: an https URL without a trailing slash. */
  readonly issuer: string;
  /** The tokens' `aud`: the client id the provider issued them to. */
  readonly audience: string;
  /** The provider's signing keys. @default `<issuer>/.well-known/jwks.json` (Cognito's) */
  readonly jwksUrl?: string;
  /**
   * The provider's OAuth 2.0 authorization endpoint, for the console's "sign in" button
   * (authorization code with PKCE, client id = `audience`). Goes with `tokenUrl`.
   * @default none: the console takes a pasted ID token only
   */
  readonly authorizeUrl?: string;
  /** The provider's OAuth 2.0 token endpoint (the code is exchanged there). Goes with `authorizeUrl`. */
  readonly tokenUrl?: string;
}

export const jwksUrlOf = (tokenIssuer: TokenIssuer): string =>
  tokenIssuer.jwksUrl ?? `${tokenIssuer.issuer}/.well-known/jwks.json`;

/**
 * Throws unless `tokenIssuer` names an https issuer without a trailing slash (an ID token's `iss`
 * must equal it exactly), a non-empty audience and, if given, an https key-set URL. Values that
 * are still CDK tokens (the user pool's) are not checked.
 */
export function assertTokenIssuer(tokenIssuer: TokenIssuer): void {
  const { issuer, audience, jwksUrl, authorizeUrl, tokenUrl } = tokenIssuer;
  assertHttpsUrl('oidcIssuer', issuer);
  if (!Token.isUnresolved(issuer) && issuer.endsWith('/')) {
    throw new Error(`oidcIssuer: "${issuer}" must not end with "/" (it must equal the tokens' iss claim exactly)`);
  }
  if (typeof audience !== 'string' || audience.trim() === '' || /\s/.test(audience)) {
    throw new Error(
      `oidcAudience ${JSON.stringify(audience)} must be the client id the provider issues ID tokens to (no spaces)`,
    );
  }
  if (jwksUrl !== undefined) assertHttpsUrl('oidcJwksUrl', jwksUrl);
  if ((authorizeUrl === undefined) !== (tokenUrl === undefined)) {
    throw new Error(
      'oidcAuthorizeUrl and oidcTokenUrl go together: give both (the console sends the browser to the first and exchanges the code at the second), or neither for the paste-a-token sign-in only',
    );
  }
  if (authorizeUrl !== undefined) assertHttpsUrl('oidcAuthorizeUrl', authorizeUrl);
  if (tokenUrl !== undefined) assertHttpsUrl('oidcTokenUrl', tokenUrl);
}

function assertHttpsUrl(name: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name}: "${value}" is not a URL; expected e.g. "https://sso.example.gov.cn/realms/clusters"`);
  }
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    throw new Error(`${name}: "${value}" must be an https URL with no query, fragment or credentials`);
  }
}

/**
 * Reads the `oidcIssuer`, `oidcAudience` and optional `oidcJwksUrl`, `oidcAuthorizeUrl` and
 * `oidcTokenUrl` context. Undefined when none is given (the stateful stack then makes a Cognito
 * user pool); issuer and audience go together, and so do the authorize and token URLs.
 */
export function parseTokenIssuer(context: {
  issuer?: string;
  audience?: string;
  jwksUrl?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
}): TokenIssuer | undefined {
  const { issuer, audience, jwksUrl, authorizeUrl, tokenUrl } = context;
  if (Object.values(context).every((value) => value === undefined)) return undefined;
  if (issuer === undefined || audience === undefined) {
    throw new Error(
      'oidcIssuer and oidcAudience go together: give both (-c oidcIssuer=https://… -c oidcAudience=<client id>), or neither for a Cognito user pool',
    );
  }
  const tokenIssuer: TokenIssuer = {
    issuer,
    audience,
    ...(jwksUrl !== undefined && { jwksUrl }),
    ...(authorizeUrl !== undefined && { authorizeUrl }),
    ...(tokenUrl !== undefined && { tokenUrl }),
  };
  assertTokenIssuer(tokenIssuer);
  return tokenIssuer;
}

/**
 * Throws in a China region without an OpenID Connect provider: Amazon Cognito user pools are not
 * offered there, so sign-in must come from another issuer.
 */
export function assertSignInAvailable(region: string | undefined, oidc: TokenIssuer | undefined): void {
  if (oidc === undefined && isChinaRegion(region)) {
    throw new Error(
      `Amazon Cognito user pools are not offered in the AWS China regions (${region}): give the OpenID Connect provider ` +
        'whose ID tokens the API accepts with -c oidcIssuer=https://… and -c oidcAudience=<client id> (README: Deploying to AWS)',
    );
  }
}

/**
 * Throws unless `prefix` can name the user pool's Cognito domain
 * (`https://<prefix>.auth.<region>.amazoncognito.com`): 1-63 lower-case letters, digits and
 * hyphens, not starting or ending with a hyphen, and without the words Cognito reserves (aws,
 * amazon, cognito). The prefix must also be free in the region, across all AWS accounts: only the
 * deploy can tell.
 */
export function assertSignInDomainPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(
      `signInDomainPrefix ${JSON.stringify(prefix)} must be 1-63 lower-case letters, digits and "-", not starting or ending with "-" ` +
        '(e.g. -c signInDomainPrefix=clusters-gov-prod)',
    );
  }
  const reserved = RESERVED_DOMAIN_WORDS.find((word) => prefix.includes(word));
  if (reserved) {
    throw new Error(
      `signInDomainPrefix "${prefix}" must not contain "${reserved}" (Cognito reserves aws, amazon and cognito)`,
    );
  }
}

const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/**
 * The start of the default Cognito domain prefix, from a stack name: lower case, hyphens for
 * anything else, the reserved words left out, at most 50 characters (a hyphen and 12 characters
 * unique to the deployed stack follow; see SignInPool).
 */
export function signInDomainBase(name: string): string {
  let base = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  for (const word of RESERVED_DOMAIN_WORDS) base = base.replaceAll(word, '');
  base = base
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return base === '' ? 'sign-in' : base;
}
