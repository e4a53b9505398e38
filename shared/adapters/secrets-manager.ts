import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretValueReader } from './link-keys.ts';

/** GetSecretValue for the review-link key (LINK_KEY_SECRET_ARN); one client per Lambda instance. */
export function secretsManagerReader(client: SecretsManagerClient = new SecretsManagerClient({})): SecretValueReader {
  return async (input) => {
    const { VersionId, SecretString } = await client.send(new GetSecretValueCommand(input));
    return { ...(VersionId !== undefined && { VersionId }), ...(SecretString !== undefined && { SecretString }) };
  };
}
