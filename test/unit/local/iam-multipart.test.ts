import { describe, expect, it } from 'vitest';
import { requestsFor } from '../../../local/iam/requests.ts';

const arns = { partition: 'aws-cn', region: 'cn-north-1', accountId: '000000000000' };
const object = 'arn:aws-cn:s3:::bucket/packages/c/p/p.zip';

describe('the local IAM check of a multipart upload (the package builder’s)', () => {
  it('authorises creating, uploading and completing parts as s3:PutObject on the object, as S3 does', () => {
    for (const command of ['CreateMultipartUploadCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']) {
      expect(requestsFor('s3', command, { Bucket: 'bucket', Key: 'packages/c/p/p.zip' }, arns), command).toEqual([
        { action: 's3:PutObject', resource: object },
      ]);
    }
  });

  it('authorises an abort as s3:AbortMultipartUpload', () => {
    expect(
      requestsFor('s3', 'AbortMultipartUploadCommand', { Bucket: 'bucket', Key: 'packages/c/p/p.zip' }, arns),
    ).toEqual([{ action: 's3:AbortMultipartUpload', resource: object }]);
  });
});
