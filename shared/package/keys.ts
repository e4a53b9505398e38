/**
 * Where packages live in the bucket, and the request objects that start work on them. The builder
 * listens to PACKAGE_REQUEST_PREFIX only (an S3 notification in AWS, local/events.ts locally); it
 * writes under PACKAGE_PREFIX, which triggers nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Track } from '../schemas/common.ts';
import type { PackageWorkRequest } from '../ports/package.ts';

export const PACKAGE_PREFIX = 'packages/';
export const PACKAGE_REQUEST_PREFIX = 'package-requests/';
/** The download link lasts minutes: long enough to start a large download, no longer. */
export const DOWNLOAD_URL_TTL_SECONDS = 5 * 60;

const stamp = (at: Date) => at.toISOString().replace(/\D/g, '').slice(0, 14);

export function newPackageId(jurisdictionCode: string, track: Track, at: Date): string {
  return `${jurisdictionCode}-${track}-${stamp(at)}-${randomBytes(4).toString('hex')}`;
}

export const packageKeys = (campaignId: string, packageId: string) => ({
  objectKey: `${PACKAGE_PREFIX}${campaignId}/${packageId}/${packageId}.zip`,
  manifestKey: `${PACKAGE_PREFIX}${campaignId}/${packageId}/manifest.json`,
});

/** `package-requests/<campaign>/<package>/<action>[-<request id>].json`: the key says it all. */
export function requestKey(request: PackageWorkRequest): string {
  const suffix = request.requestId === undefined ? '' : `-${request.requestId}`;
  return `${PACKAGE_REQUEST_PREFIX}${request.campaignId}/${request.packageId}/${request.action}${suffix}.json`;
}

const REQUEST_KEY = /^package-requests\/([^/]+)\/([^/]+)\/(build|verify)(?:-([0-9a-f]{16}))?\.json$/;

/** The request a key names, or undefined for any other key. */
export function parseRequestKey(key: string): PackageWorkRequest | undefined {
  const match = REQUEST_KEY.exec(key);
  if (!match) return undefined;
  const [, campaignId = '', packageId = '', action, requestId] = match;
  return { action: action as 'build' | 'verify', campaignId, packageId, ...(requestId !== undefined && { requestId }) };
}

export const newRequestId = (): string => randomBytes(8).toString('hex');
