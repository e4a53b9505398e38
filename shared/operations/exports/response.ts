import { contentDisposition } from '../../platform/content-disposition.ts';
import type { HttpResult } from '../../platform/http/respond.ts';
import type { ExportFile } from './summary.ts';

/**
 * A file download: `Content-Disposition: attachment` with the UTF-8 name (RFC 6266 / 8187
 * `filename*`) and an ASCII fallback. Binary bodies travel base64-encoded (`isBase64Encoded`),
 * as API Gateway and the local gateway expect; text bodies as they are.
 */
export function attachment(file: ExportFile): HttpResult {
  const body = file.body;
  const binary = typeof body !== 'string';
  return {
    statusCode: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: typeof body === 'string' ? body : body.toString('base64'),
    isBase64Encoded: binary,
  };
}
