/**
 * Rotation of the review-link key (the stateful stack's `ReviewLinkKey` secret) by Secrets
 * Manager's four-step contract, as functions/rotate-link-key.ts runs it:
 *
 *   createSecret  a new random key as the AWSPENDING version named by the token;
 *   setSecret     nothing: no other system holds the key (see below);
 *   testSecret    the pending version reads and parses as a link key, with the same code the
 *                 functions that mint and verify links use (SecretsManagerLinkKeySource);
 *   finishSecret  AWSCURRENT moves to the token's version; the old one becomes AWSPREVIOUS.
 *
 * Every step first checks what AWS's rotation contract asks: rotation is enabled on the secret
 * and the token is one of its versions, staged AWSPENDING; a token already AWSCURRENT means the
 * rotation is over, and the step does nothing. Each step may run twice (Secrets Manager retries
 * a failed step, and a step can be invoked again after a timeout): a second run changes nothing.
 *
 * Links already emailed keep working: each stored link hash names the key version it was made
 * under, and the verifying functions read older versions by id (shared/adapters/link-keys.ts).
 * The key's value is never logged, returned or put in an error message.
 */
import { randomInt } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { MIN_LINK_KEY_LENGTH, SecretsManagerLinkKeySource } from './link-keys.ts';
import { secretsManagerReader } from './secrets-manager.ts';

/**
 * The key's format, as the stateful stack generates the first one (generateSecretString with
 * passwordLength 64, no punctuation, no space, each type included): 64 letters and digits, at
 * least one upper-case letter, one lower-case letter and one digit (about 380 bits).
 */
export const LINK_KEY_LENGTH = 64;
const LINK_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LINK_KEY_PATTERN = new RegExp(`^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])[A-Za-z0-9]{${LINK_KEY_LENGTH}}$`);

if (LINK_KEY_LENGTH < MIN_LINK_KEY_LENGTH) throw new Error('LINK_KEY_LENGTH is below what link-keys.ts accepts');

/** A new random key in the secret's format (node:crypto, uniform over the alphabet). */
export function newLinkKey(): string {
  for (;;) {
    let key = '';
    for (let i = 0; i < LINK_KEY_LENGTH; i += 1) key += LINK_KEY_ALPHABET.charAt(randomInt(LINK_KEY_ALPHABET.length));
    // Each type included, as generateSecretString's requireEachIncludedType: redraw otherwise
    // (a 64-character draw misses a type about once in 10^5).
    if (LINK_KEY_PATTERN.test(key)) return key;
  }
}

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** What Secrets Manager sends the rotation function (other fields, if any, are ignored). */
export const RotationEventSchema = z.object({
  SecretId: z.string().min(1),
  ClientRequestToken: z.string().min(1),
  Step: z.enum(ROTATION_STEPS),
});
export type RotationEvent = z.infer<typeof RotationEventSchema>;

/** A step that must not run: rotation disabled, or the token is no pending version of the secret. */
export class RotationRefusedError extends Error {
  override readonly name = 'RotationRefusedError';
}

/** What a step did. */
export type RotationOutcome =
  /** createSecret put a new key as AWSPENDING. */
  | 'created'
  /** createSecret found the token's pending version already there (a re-run). */
  | 'already-pending'
  /** setSecret: no other system to tell. */
  | 'nothing-to-set'
  /** testSecret: the pending version parses as a link key. */
  | 'tested'
  /** finishSecret moved AWSCURRENT to the token's version. */
  | 'finished'
  /** The token is already AWSCURRENT: the rotation is over (a re-run), nothing done. */
  | 'already-current';

export interface RotationLog {
  info(message: string, attributes?: Record<string, unknown>): void;
}

export interface LinkKeyRotationOptions {
  /** New key values. @default newLinkKey */
  readonly newKey?: () => string;
  readonly log?: RotationLog;
}

const named = (error: unknown, name: string) => error instanceof Error && error.name === name;

/** Runs one rotation step against Secrets Manager. */
export class LinkKeyRotation {
  private readonly newKey: () => string;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: LinkKeyRotationOptions = {},
  ) {
    this.newKey = options.newKey ?? newLinkKey;
  }

  async run(event: RotationEvent): Promise<RotationOutcome> {
    const { SecretId, ClientRequestToken: token, Step } = event;
    const stages = await this.versionStages(SecretId, token);
    const outcome =
      stages.currentVersion === token ? 'already-current' : await this.step(Step, SecretId, token, stages);
    this.options.log?.info('link key rotation step', { secretId: SecretId, token, step: Step, outcome });
    return outcome;
  }

  private async step(
    step: RotationEvent['Step'],
    secretId: string,
    token: string,
    stages: { currentVersion: string | undefined },
  ): Promise<RotationOutcome> {
    switch (step) {
      case 'createSecret':
        return this.createSecret(secretId, token);
      case 'setSecret':
        // The key is used only by this pipeline's own functions, which read it from Secrets
        // Manager by stage and by version: there is no database or service to hand the new
        // value to. They pick it up within LINK_KEY_CACHE_MS of finishSecret, and until then
        // mint under the old version, which stays readable as AWSPREVIOUS.
        return 'nothing-to-set';
      case 'testSecret':
        return this.testSecret(secretId, token);
      case 'finishSecret':
        return this.finishSecret(secretId, token, stages.currentVersion);
    }
  }

  /**
   * DescribeSecret: refuses unless rotation is enabled and the token is a version of the secret
   * staged AWSPENDING or AWSCURRENT; answers which version is AWSCURRENT.
   */
  private async versionStages(secretId: string, token: string): Promise<{ currentVersion: string | undefined }> {
    const described = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (described.RotationEnabled !== true) {
      throw new RotationRefusedError(`Rotation is not enabled on secret ${secretId}`);
    }
    const versions = described.VersionIdsToStages ?? {};
    const stagesOfToken = versions[token];
    if (!stagesOfToken) {
      throw new RotationRefusedError(`Version ${token} of secret ${secretId} has no stage for rotation`);
    }
    const currentVersion = Object.keys(versions).find((id) => versions[id]?.includes('AWSCURRENT'));
    if (currentVersion !== token && !stagesOfToken.includes('AWSPENDING')) {
      throw new RotationRefusedError(`Version ${token} of secret ${secretId} is not staged AWSPENDING`);
    }
    return { currentVersion };
  }

  private async pendingExists(secretId: string, token: string): Promise<boolean> {
    try {
      await this.client.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
      );
      return true;
    } catch (error) {
      if (named(error, 'ResourceNotFoundException')) return false;
      throw error;
    }
  }

  private async createSecret(secretId: string, token: string): Promise<RotationOutcome> {
    if (await this.pendingExists(secretId, token)) return 'already-pending';
    try {
      await this.client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: this.newKey(),
          VersionStages: ['AWSPENDING'],
        }),
      );
    } catch (error) {
      // Two runs at once: the other one's value is there under this token (PutSecretValue with
      // the same token and another value fails), and that is the pending key.
      if (named(error, 'ResourceExistsException') && (await this.pendingExists(secretId, token))) {
        return 'already-pending';
      }
      throw error;
    }
    return 'created';
  }

  private async testSecret(secretId: string, token: string): Promise<RotationOutcome> {
    // The very code that verifying functions use to read a key by version and accept it.
    const source = new SecretsManagerLinkKeySource(secretsManagerReader(this.client), secretId);
    const key = await source.byVersion(token);
    if (!key) throw new Error(`testSecret: version ${token} of secret ${secretId} has no value`);
    return 'tested';
  }

  private async finishSecret(
    secretId: string,
    token: string,
    currentVersion: string | undefined,
  ): Promise<RotationOutcome> {
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        ...(currentVersion !== undefined && { RemoveFromVersionId: currentVersion }),
      }),
    );
    return 'finished';
  }
}
