import { DynamoPackages } from '../adapters/dynamo-packages.ts';
import { S3PackageLinks } from '../adapters/s3-package-links.ts';
import { S3PackageRequests } from '../adapters/s3-package-requests.ts';
import { PackageDesk } from '../package/desk.ts';
import { makeS3Client } from './clients.ts';
import { systemClock } from './clock.ts';
import { campaignCatalog, tableAccess } from './core.ts';
import { ENV, type Env, readEnv, required } from './env.ts';

/**
 * The packages function (API and console page): records, the request objects, download links.
 * Apart from the builder's wiring (./package-builder.ts): the ZIP writer and reader (yazl, yauzl,
 * lib-storage) and the workbook writer (exceljs) stay in that bundle only.
 */
export function wirePackages(env: Env = readEnv()) {
  const table = tableAccess(env);
  const s3 = makeS3Client(env);
  const bucket = required(env, ENV.bucketName);
  const campaigns = campaignCatalog(table);
  return {
    desk: new PackageDesk({
      store: new DynamoPackages(table.documents, table.table),
      requests: new S3PackageRequests(s3, bucket),
      links: new S3PackageLinks(s3, bucket),
      campaigns,
      clock: systemClock,
    }),
    campaigns,
  };
}
