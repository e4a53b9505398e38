import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LinkKeyRotation, type RotationLog } from '../adapters/link-key-rotation.ts';

/**
 * The rotation function: its own Secrets Manager client (the secret's ARN comes with each
 * event, so no environment variable is read).
 */
export function wireRotateLinkKey(log?: RotationLog) {
  return { rotation: new LinkKeyRotation(new SecretsManagerClient({}), { ...(log && { log }) }) };
}
