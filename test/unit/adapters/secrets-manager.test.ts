import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerLinkKeySource } from '../../../shared/adapters/link-keys.ts';
import { secretsManagerReader } from '../../../shared/adapters/secrets-manager.ts';

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:link-key-AbCdEf';

beforeEach(() => sm.reset());

describe('the link key from Secrets Manager', () => {
  it('reads AWSCURRENT and AWSPREVIOUS by stage through GetSecretValue', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSCURRENT' }).resolves({
      VersionId: 'v2',
      SecretString: 'k'.repeat(64),
    });
    sm.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSPREVIOUS' }).resolves({
      VersionId: 'v1',
      SecretString: 'j'.repeat(64),
    });
    const source = new SecretsManagerLinkKeySource(secretsManagerReader(new SecretsManagerClient({})), ARN);
    const { current, previous } = await source.stages();
    expect(current.versionId).toBe('v2');
    expect(previous?.versionId).toBe('v1');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('has no previous key before the first rotation', async () => {
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({
      VersionId: 'v1',
      SecretString: 'k'.repeat(64),
    });
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).rejects(
      new ResourceNotFoundException({ message: 'no AWSPREVIOUS', $metadata: {} }),
    );
    const { previous } = await new SecretsManagerLinkKeySource(
      secretsManagerReader(new SecretsManagerClient({})),
      ARN,
    ).stages();
    expect(previous).toBeUndefined();
  });

  it('lets other failures through (a missing grant must not look like a missing key)', async () => {
    sm.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    await expect(
      new SecretsManagerLinkKeySource(secretsManagerReader(new SecretsManagerClient({})), ARN).stages(),
    ).rejects.toThrow('AccessDeniedException');
  });
});
