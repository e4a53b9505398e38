import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, type Env, readEnv } from './env.ts';

/**
 * SDK clients, one factory per kind. A `wire…()` calls each factory it needs once, so a Lambda
 * instance holds one client of each kind it uses, and a bundle carries only the clients its
 * wiring calls (the others are tree-shaken). Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, so the local runtime points the same code at its stand-ins.
 */
export function makeDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(hooked(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function makeS3Client(env: Env = readEnv()): S3Client {
  if (env[ENV.localS3] === '1') {
    // s3rver needs path-style URLs and no streaming checksums, or the SDK stores aws-chunked
    // framing inside the object without a word.
    return hooked(
      new S3Client({
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    );
  }
  return hooked(new S3Client({}));
}

export const makeSfnClient = (): SFNClient => hooked(new SFNClient({}));

export const makeSesClient = (): SESv2Client => hooked(new SESv2Client({}));

/**
 * A hook that sees every client made here, under this global symbol: unset in Lambda. The local
 * runtime sets it to add its IAM check to each client (local/iam/enforce.ts), so that a call a
 * function's role would be refused in AWS is refused locally too; nothing here knows of it.
 */
export const CLIENT_HOOK = Symbol.for('cluster-pipeline.sdk-client-hook');
export interface HookedClient {
  readonly middlewareStack: { add: (middleware: never, options: never) => void };
}
export type ClientHook = (client: HookedClient) => void;

function hooked<T extends HookedClient>(client: T): T {
  (globalThis as { [CLIENT_HOOK]?: ClientHook })[CLIENT_HOOK]?.(client);
  return client;
}
