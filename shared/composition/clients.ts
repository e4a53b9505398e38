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
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function makeS3Client(env: Env = readEnv()): S3Client {
  if (env[ENV.localS3] === '1') {
    // s3rver needs path-style URLs and no streaming checksums, or the SDK stores aws-chunked
    // framing inside the object without a word.
    return new S3Client({
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }
  return new S3Client({});
}

export const makeSfnClient = (): SFNClient => new SFNClient({});

export const makeSesClient = (): SESv2Client => new SESv2Client({});
