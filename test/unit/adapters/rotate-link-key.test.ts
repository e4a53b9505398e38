import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LINK_KEY_LENGTH,
  LINK_KEY_PATTERN,
  LinkKeyRotation,
  newLinkKey,
  ROTATION_STEPS,
  type RotationEvent,
  RotationRefusedError,
} from '../../../shared/adapters/link-key-rotation.ts';
import { CachedLinkKeys, SecretsManagerLinkKeySource } from '../../../shared/adapters/link-keys.ts';
import { secretsManagerReader } from '../../../shared/adapters/secrets-manager.ts';
import { hashLinkSecret, linkSecretMatches } from '../../../shared/review/links.ts';

/**
 * The link key's rotation function, step by step, against aws-sdk-client-mock playing one
 * Secrets Manager secret with its staging semantics: RotateSecret stages a token AWSPENDING with
 * no value yet; GetSecretValue by id and/or stage; PutSecretValue idempotent for the same token
 * and value, ResourceExistsException for another value; UpdateSecretVersionStage moves
 * AWSCURRENT and leaves AWSPREVIOUS on the version it came from.
 */

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:ReviewLinkKey-AbCdEf';
/** The first key, as the stack generated it (64 letters and digits). */
const FIRST_KEY = 'Qk7vT2mZ9xR4bN8cW1yL6pH3sD5fG0jA'.repeat(2);

interface Version {
  value?: string;
  stages: string[];
}

function notFound(message: string) {
  return new ResourceNotFoundException({ message, $metadata: {} });
}

/** One secret in Secrets Manager, served to the mocked client. */
function fakeSecret(options: { rotationEnabled?: boolean } = {}) {
  const versions = new Map<string, Version>([['v1', { value: FIRST_KEY, stages: ['AWSCURRENT'] }]]);
  const rotationEnabled = options.rotationEnabled ?? true;
  const take = (stage: string) => {
    for (const version of versions.values()) version.stages = version.stages.filter((s) => s !== stage);
  };
  const stageOf = (stage: string) => [...versions.entries()].find(([, v]) => v.stages.includes(stage))?.[0];

  sm.on(DescribeSecretCommand).callsFake((input: { SecretId: string }) => {
    if (input.SecretId !== ARN) throw notFound('no such secret');
    return {
      ARN,
      RotationEnabled: rotationEnabled,
      VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, [...v.stages]])),
    };
  });
  sm.on(GetSecretValueCommand).callsFake((input: { SecretId: string; VersionId?: string; VersionStage?: string }) => {
    const id = input.VersionId ?? stageOf(input.VersionStage ?? 'AWSCURRENT');
    const version = id === undefined ? undefined : versions.get(id);
    if (!version || version.value === undefined) throw notFound('no such version');
    if (input.VersionStage && !version.stages.includes(input.VersionStage)) throw notFound('version not in that stage');
    return { ARN, VersionId: id, SecretString: version.value, VersionStages: [...version.stages] };
  });
  sm.on(PutSecretValueCommand).callsFake(
    (input: { ClientRequestToken: string; SecretString: string; VersionStages?: string[] }) => {
      const existing = versions.get(input.ClientRequestToken);
      if (existing?.value !== undefined) {
        if (existing.value !== input.SecretString) {
          throw new ResourceExistsException({
            message: 'a version with this token and another value exists',
            $metadata: {},
          });
        }
        return { ARN, VersionId: input.ClientRequestToken };
      }
      for (const stage of input.VersionStages ?? ['AWSCURRENT']) take(stage);
      versions.set(input.ClientRequestToken, {
        value: input.SecretString,
        stages: [...(input.VersionStages ?? ['AWSCURRENT'])],
      });
      return { ARN, VersionId: input.ClientRequestToken };
    },
  );
  sm.on(UpdateSecretVersionStageCommand).callsFake(
    (input: { VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) => {
      const holder = stageOf(input.VersionStage);
      if (holder !== undefined && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
        throw new Error(
          `InvalidParameterException: ${input.VersionStage} is on ${holder}; name it in RemoveFromVersionId`,
        );
      }
      const target = input.MoveToVersionId === undefined ? undefined : versions.get(input.MoveToVersionId);
      if (!target) throw notFound('no such version');
      take(input.VersionStage);
      target.stages.push(input.VersionStage);
      if (input.VersionStage === 'AWSCURRENT' && input.RemoveFromVersionId) {
        take('AWSPREVIOUS');
        versions.get(input.RemoveFromVersionId)?.stages.push('AWSPREVIOUS');
      }
      return { ARN, VersionId: input.MoveToVersionId };
    },
  );

  return {
    versions,
    /** What RotateSecret does before calling the function: the token staged AWSPENDING, no value. */
    startRotation(token: string) {
      take('AWSPENDING');
      versions.set(token, { stages: ['AWSPENDING'] });
    },
    stagesOf: (id: string) => versions.get(id)?.stages ?? [],
  };
}

const event = (Step: RotationEvent['Step'], token = 't2'): RotationEvent => ({
  SecretId: ARN,
  ClientRequestToken: token,
  Step,
});

let logged: Record<string, unknown>[];
let rotation: LinkKeyRotation;

beforeEach(() => {
  sm.reset();
  logged = [];
  rotation = new LinkKeyRotation(new SecretsManagerClient({}), {
    log: { info: (_m, attributes = {}) => logged.push(attributes) },
  });
});

describe('a rotation, step by step', () => {
  it('creates a pending key, has nothing to set, tests it, and makes it current; the old key becomes AWSPREVIOUS', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');

    expect(await rotation.run(event('createSecret'))).toBe('created');
    expect(sm).toHaveReceivedCommandWith(PutSecretValueCommand, {
      SecretId: ARN,
      ClientRequestToken: 't2',
      VersionStages: ['AWSPENDING'],
    });
    const pending = secret.versions.get('t2')?.value ?? '';
    expect(pending).toMatch(LINK_KEY_PATTERN);
    expect(pending).not.toBe(FIRST_KEY);

    expect(await rotation.run(event('setSecret'))).toBe('nothing-to-set');
    expect(await rotation.run(event('testSecret'))).toBe('tested');
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);

    expect(await rotation.run(event('finishSecret'))).toBe('finished');
    expect(sm).toHaveReceivedCommandWith(UpdateSecretVersionStageCommand, {
      SecretId: ARN,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: 't2',
      RemoveFromVersionId: 'v1',
    });
    expect(secret.stagesOf('t2')).toContain('AWSCURRENT');
    expect(secret.stagesOf('v1')).toEqual(['AWSPREVIOUS']);

    // What the functions that mint and verify links read now.
    const { current, previous } = await new SecretsManagerLinkKeySource(
      secretsManagerReader(new SecretsManagerClient({})),
      ARN,
    ).stages();
    expect(current.versionId).toBe('t2');
    expect(previous?.versionId).toBe('v1');
  });

  it('breaks no link: one minted before the rotation still opens after it; new links are minted under the new version', async () => {
    const secret = fakeSecret();
    const source = new SecretsManagerLinkKeySource(secretsManagerReader(new SecretsManagerClient({})), ARN);
    const before = await hashLinkSecret('link-secret-emailed-before-rotation', new CachedLinkKeys(source));
    expect(before.secretKeyVersion).toBe('v1');

    secret.startRotation('t2');
    for (const step of ROTATION_STEPS) await rotation.run(event(step));
    secret.startRotation('t3');
    for (const step of ROTATION_STEPS) await rotation.run(event(step, 't3'));

    const keys = new CachedLinkKeys(source); // a fresh instance: the cache has expired
    expect((await hashLinkSecret('a-newer-link-secret-xxxxxxxxxxxx', keys)).secretKeyVersion).toBe('t3');
    // v1 is now neither AWSCURRENT nor AWSPREVIOUS: read by its version id.
    expect(await linkSecretMatches('link-secret-emailed-before-rotation', [before], keys)).toBe(true);
    expect(await linkSecretMatches('forged-forged-forged-forged-forged', [before], keys)).toBe(false);
  });

  it('logs the secret, token, step and outcome of each step, never a key', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    for (const step of ROTATION_STEPS) await rotation.run(event(step));
    expect(logged.map((entry) => [entry.step, entry.outcome])).toEqual([
      ['createSecret', 'created'],
      ['setSecret', 'nothing-to-set'],
      ['testSecret', 'tested'],
      ['finishSecret', 'finished'],
    ]);
    expect(logged.every((entry) => entry.secretId === ARN && entry.token === 't2')).toBe(true);
    const text = JSON.stringify(logged);
    for (const version of secret.versions.values()) expect(text).not.toContain(version.value);
  });
});

describe('each step may run twice', () => {
  it('createSecret again finds the pending key and puts nothing', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    expect(await rotation.run(event('createSecret'))).toBe('created');
    const pending = secret.versions.get('t2')?.value;
    expect(await rotation.run(event('createSecret'))).toBe('already-pending');
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
    expect(secret.versions.get('t2')?.value).toBe(pending);
  });

  it('setSecret and testSecret again change nothing', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    await rotation.run(event('createSecret'));
    for (const step of ['setSecret', 'setSecret', 'testSecret', 'testSecret'] as const) await rotation.run(event(step));
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);
    expect(secret.stagesOf('t2')).toEqual(['AWSPENDING']);
    expect(secret.stagesOf('v1')).toEqual(['AWSCURRENT']);
  });

  it('finishSecret again, when the token is already AWSCURRENT, moves no stage', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    for (const step of ROTATION_STEPS) await rotation.run(event(step));
    expect(await rotation.run(event('finishSecret'))).toBe('already-current');
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 1);
    expect(secret.stagesOf('v1')).toEqual(['AWSPREVIOUS']);
  });

  it('any step for a token already AWSCURRENT does nothing (the rotation is over)', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    for (const step of ROTATION_STEPS) await rotation.run(event(step));
    sm.resetHistory();
    for (const step of ROTATION_STEPS) expect(await rotation.run(event(step))).toBe('already-current');
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('two createSecret runs at once: the one that puts second keeps the first one’s key', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    const first = newLinkKey();
    // The other run's PutSecretValue lands between this run's check and its own put.
    const racing = new LinkKeyRotation(new SecretsManagerClient({}), {
      newKey: () => {
        secret.versions.set('t2', { value: first, stages: ['AWSPENDING'] });
        return newLinkKey();
      },
    });
    expect(await racing.run(event('createSecret'))).toBe('already-pending');
    expect(secret.versions.get('t2')?.value).toBe(first);
  });
});

describe('refusals (AWS’s rotation contract)', () => {
  it.each(ROTATION_STEPS)('%s refuses when rotation is not enabled on the secret', async (step) => {
    const secret = fakeSecret({ rotationEnabled: false });
    secret.startRotation('t2');
    await expect(rotation.run(event(step))).rejects.toThrow(RotationRefusedError);
    await expect(rotation.run(event(step))).rejects.toThrow(/not enabled/);
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);
  });

  it.each(ROTATION_STEPS)('%s refuses a token that is no version of the secret', async (step) => {
    fakeSecret();
    await expect(rotation.run(event(step, 'unknown-token'))).rejects.toThrow(/has no stage for rotation/);
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);
  });

  it.each(ROTATION_STEPS)('%s refuses a version that is not AWSPENDING (an old one, AWSPREVIOUS)', async (step) => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    for (const s of ROTATION_STEPS) await rotation.run(event(s));
    sm.resetHistory();
    // v1 is AWSPREVIOUS now: asking to rotate "to" it must not make it current again.
    await expect(rotation.run(event(step, 'v1'))).rejects.toThrow(/is not staged AWSPENDING/);
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 0);
    expect(secret.stagesOf('t2')).toContain('AWSCURRENT');
  });

  it('testSecret fails on a pending value that is no key, without saying the value', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    secret.versions.set('t2', { value: 'too-short-to-be-a-key', stages: ['AWSPENDING'] });
    const failure = await rotation.run(event('testSecret')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/shorter than 32/);
    expect((failure as Error).message).not.toContain('too-short-to-be-a-key');
  });

  it('testSecret fails when the pending version has no value yet (createSecret did not run)', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    await expect(rotation.run(event('testSecret'))).rejects.toThrow(/has no value/);
  });

  it('lets Secrets Manager’s other errors through (a missing grant is not a missing version)', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(rotation.run(event('createSecret'))).rejects.toThrow(/not authorized/);
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
  });
});

describe('newLinkKey', () => {
  it('has the format the stack generates: 64 letters and digits, each type present', () => {
    const key = newLinkKey();
    expect(key).toHaveLength(LINK_KEY_LENGTH);
    expect(key).toMatch(/^[A-Za-z0-9]+$/);
    expect(key).toMatch(/[A-Z]/);
    expect(key).toMatch(/[a-z]/);
    expect(key).toMatch(/[0-9]/);
    expect(FIRST_KEY).toMatch(LINK_KEY_PATTERN);
  });

  it('parses as a key with the parser the link functions use', async () => {
    const key = newLinkKey();
    const read = async () => ({ VersionId: 'v9', SecretString: key });
    const parsed = await new SecretsManagerLinkKeySource(read, ARN).byVersion('v9');
    expect(parsed?.versionId).toBe('v9');
    expect(Buffer.from(parsed?.key ?? new Uint8Array()).toString('utf8')).toBe(key);
  });

  it('differs each time', () => {
    const keys = Array.from({ length: 2000 }, () => newLinkKey());
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((key) => LINK_KEY_PATTERN.test(key))).toBe(true);
  });
});

describe('the handler (functions/rotate-link-key.ts)', () => {
  const writes: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.resetModules();
    writes.length = 0;
  });

  async function loadHandler() {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.resetModules();
    const capture = (chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    return (await import('../../../functions/rotate-link-key.ts')).handler;
  }

  it('runs the step Secrets Manager asks for, and logs no key', async () => {
    const secret = fakeSecret();
    secret.startRotation('t2');
    const handler = await loadHandler();
    for (const step of ROTATION_STEPS) await handler(event(step));
    expect(secret.stagesOf('t2')).toContain('AWSCURRENT');
    const text = writes.join('');
    expect(text).toContain('link key rotation step');
    for (const version of secret.versions.values()) expect(text).not.toContain(version.value);
  });

  it('refuses what is not a rotation event, and a refused step fails the invocation', async () => {
    fakeSecret({ rotationEnabled: false });
    const handler = await loadHandler();
    await expect(handler({ SecretId: ARN, Step: 'createSecret' })).rejects.toThrow(
      /not a Secrets Manager rotation event/,
    );
    await expect(handler({ ...event('createSecret'), Step: 'deleteEverything' })).rejects.toThrow(/rotation event/);
    await expect(handler(event('createSecret'))).rejects.toThrow(/Rotation is not enabled/);
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
  });
});
