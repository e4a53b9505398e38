import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from './env.ts';

/**
 * SDK clients, built once per module instance. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, so the local runtime points the same code at its stand-ins.
 */
export function makeDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function makeS3Client(): S3Client {
  if (process.env[ENV.localS3] === '1') {
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
