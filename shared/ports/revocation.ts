import type { RevocationRequest } from '../revocation/request.ts';

/*
 * What cancellation for false information (shared/revocation/) needs to keep its requests.
 * shared/adapters/dynamo-revocations.ts implements it.
 */

export type FileOutcome = { filed: true } | { filed: false; openRequestId: string | undefined };

export interface RevocationStore {
  /**
   * Stores a new request unless the same cluster already has an open one (one open request per
   * register entry, or per application before recognition): conditional writes, in one transaction.
   */
  file(request: RevocationRequest, openKey: string): Promise<FileOutcome>;
  get(requestId: string): Promise<RevocationRequest | undefined>;
  /** Every request, newest first (a handful a year: one partition). */
  list(): Promise<RevocationRequest[]>;
  /**
   * Replaces the request if it is still at `expectedRevision`; `closeOpenKey` releases the cluster's
   * open-request key in the same transaction (a decision). false when someone changed it first.
   */
  replace(request: RevocationRequest, expectedRevision: number, closeOpenKey?: string): Promise<boolean>;
}
