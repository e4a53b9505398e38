import type * as T from './types.ts';
import { type PostedUpload, postPresigned, type UploadFile } from './upload.ts';

/**
 * One client of the public HTTP API (v1), for everything in this repository that calls it as an
 * outside client would: the integration and browser tests, the benchmarks and the demo. One
 * client is one person: a base URL and, once signed in, their ID token (`withToken` makes another
 * person's client with the same settings).
 *
 * Every call answers a Reply: the status as sent (tests assert refusals), the headers, and the
 * body, typed for a 2xx answer (`reply.body`) or as the API's error (`reply.error`). Reading the
 * one that was not sent throws, naming the request and what came back, so a driver that only
 * wants the happy path writes `(await client.submit(id)).body`.
 */

/** What `onResponse` sees of each answer: enough to check it against the OpenAPI document. */
export interface ObservedResponse {
  method: string;
  /** The request's path, without its query string (`/v1/applications/…/evidence`). */
  path: string;
  status: number;
  /** The Content-Type header as sent ('' when absent). */
  contentType: string;
  /** Parsed JSON for a JSON answer, the text for another text, the bytes otherwise. */
  body: unknown;
}

/** One request as the client is about to send it. */
export interface ApiRequest {
  method: string;
  /** Path and query, as appended to the base URL. */
  path: string;
  headers: Record<string, string>;
  /** JSON-serialisable, or a string sent as is; undefined for none. */
  body?: unknown;
}

/** An HTTP answer as received, before it is read as JSON. */
export interface RawResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

export interface ApiClientOptions {
  /** Where the API is, e.g. http://127.0.0.1:3000 (a trailing slash is ignored). */
  baseUrl: string;
  /** The signed-in person's ID token, sent as `Authorization: Bearer …`; none for anonymous calls. */
  token?: string;
  /** Called with every answer the API sends (each attempt, when `around` sends again); awaited. */
  onResponse?: (response: ObservedResponse) => void | Promise<void>;
  /**
   * Wraps each exchange: `send()` sends the request (and may be called again, to retry); what is
   * returned is what the caller gets. The fault bench's people send again after a 500.
   */
  around?: (request: ApiRequest, send: () => Promise<RawResponse>) => Promise<RawResponse>;
}

/** Extra request headers (Idempotency-Key, Origin, …). */
export type ExtraHeaders = Record<string, string>;

const decoder = new TextDecoder();

const isJson = (contentType: string) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
const isText = (contentType: string) =>
  /^text\/|^application\/(?:[\w.+-]+\+)?(?:json|xml)\b|charset=/i.test(contentType);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JSON parsed, other text decoded, anything else (an XLSX) as its bytes. */
function decodeBody(contentType: string, bytes: Uint8Array): unknown {
  if (!isText(contentType)) return bytes;
  const text = decoder.decode(bytes);
  return isJson(contentType) ? parseJson(text) : text;
}

/** An answer of the API: its status, headers and body. */
export class Reply<Body> {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** As `onResponse` sees it: JSON parsed, other text as text, anything else as bytes. */
  readonly decoded: unknown;

  constructor(
    private readonly request: Pick<ApiRequest, 'method' | 'path'>,
    raw: RawResponse,
  ) {
    this.status = raw.status;
    this.headers = raw.headers;
    this.bytes = raw.bytes;
    this.contentType = raw.headers.get('content-type') ?? '';
    this.text = decoder.decode(raw.bytes);
    this.json = parseJson(this.text);
    this.decoded = decodeBody(this.contentType, this.bytes);
  }

  /** 2xx. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The answer of a 2xx; throws on any other status. */
  get body(): Body {
    if (!this.ok) throw new Error(`${this.describe()}: expected a 2xx answer`);
    return this.decoded as Body;
  }

  /** The API's refusal (`{"error": {…}}`); throws when the answer is not one. */
  get error(): T.ErrorBody['error'] {
    const error = (this.json as Partial<T.ErrorBody> | undefined)?.error;
    if (this.ok || error === undefined) throw new Error(`${this.describe()}: expected an error answer`);
    return error;
  }

  private describe(): string {
    return `${this.request.method} ${this.request.path} answered ${this.status} ${this.text.slice(0, 500)}`;
  }
}

/** A path segment, escaped. */
const seg = (value: string) => encodeURIComponent(value);

/** `?a=1&b=2` from the defined entries, or '' when there are none. */
function query(params: Record<string, string | number | undefined> | undefined): string {
  const defined = Object.entries(params ?? {}).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  return defined.length === 0
    ? ''
    : `?${new URLSearchParams(defined.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly token: string | undefined;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
  }

  /** The same API and settings as another person (undefined: no one signed in). */
  withToken(token: string | undefined): ApiClient {
    const { token: _mine, ...rest } = this.options;
    return new ApiClient({ ...rest, ...(token !== undefined && { token }) });
  }

  /**
   * Any request, for what the typed calls do not send: a deliberately bad body, a page, a route
   * probed for who may call it. `body` is sent as JSON (a string as is).
   */
  async raw(method: string, path: string, body?: unknown, headers: ExtraHeaders = {}): Promise<Reply<unknown>> {
    return this.call<unknown>(method, path, body, headers);
  }

  private async call<Body>(
    method: string,
    path: string,
    body?: unknown,
    extra: ExtraHeaders = {},
  ): Promise<Reply<Body>> {
    const headers: Record<string, string> = {
      ...(this.token !== undefined && { authorization: `Bearer ${this.token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...extra,
    };
    const request: ApiRequest = { method, path, headers, ...(body !== undefined && { body }) };
    const send = () => this.send(request);
    const raw = this.options.around ? await this.options.around(request, send) : await send();
    return new Reply<Body>(request, raw);
  }

  private async send(request: ApiRequest): Promise<RawResponse> {
    const { body } = request;
    const response = await fetch(`${this.baseUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      // A redirect (the console's 303 to sign-in) is an answer to look at, not to follow.
      redirect: 'manual',
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const raw: RawResponse = {
      status: response.status,
      headers: response.headers,
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
    if (this.options.onResponse) {
      const contentType = response.headers.get('content-type') ?? '';
      await this.options.onResponse({
        method: request.method,
        path: request.path.split('?')[0] ?? request.path,
        status: raw.status,
        contentType,
        body: decodeBody(contentType, raw.bytes),
      });
    }
    return raw;
  }

  // ---- campaigns and jurisdictions ------------------------------------------------------------

  listCampaigns() {
    return this.call<T.CampaignList>('GET', '/v1/campaigns');
  }

  getCampaign(campaignId: string) {
    return this.call<T.Campaign>('GET', `/v1/campaigns/${seg(campaignId)}`);
  }

  /** An operator adds a campaign (a new year's call) from its full definition. */
  createCampaign(definition: T.CampaignDefinition) {
    return this.call<T.Campaign>('POST', '/v1/campaigns', definition);
  }

  getJurisdiction(code: string) {
    return this.call<T.JurisdictionView>('GET', `/v1/jurisdictions/${seg(code)}`);
  }

  // ---- applications ---------------------------------------------------------------------------

  createApplication(draft: T.NewApplication, options: { idempotencyKey?: string } = {}) {
    return this.call<T.CreatedApplication>('POST', '/v1/applications', draft, idempotency(options));
  }

  getApplication(applicationId: string) {
    return this.call<T.Application>('GET', `/v1/applications/${seg(applicationId)}`);
  }

  patchApplication(applicationId: string, changes: T.ApplicationChanges) {
    return this.call<T.PatchedApplication>('PATCH', `/v1/applications/${seg(applicationId)}`, changes);
  }

  submit(applicationId: string) {
    return this.call<T.SubmittedApplication>('POST', `/v1/applications/${seg(applicationId)}/submit`);
  }

  withdraw(applicationId: string, withdrawal?: T.Withdrawal) {
    return this.call<T.Ended>('POST', `/v1/applications/${seg(applicationId)}/withdraw`, withdrawal);
  }

  /** An operator cancels for false information, with the reason. */
  cancel(applicationId: string, cancellation: T.Cancellation) {
    return this.call<T.Ended>('POST', `/v1/applications/${seg(applicationId)}/cancel`, cancellation);
  }

  /** An objection during the public notice. */
  object(applicationId: string, objection: T.Objection) {
    return this.call<T.ObjectionRecord>('POST', `/v1/applications/${seg(applicationId)}/objections`, objection);
  }

  history(applicationId: string) {
    return this.call<T.History>('GET', `/v1/applications/${seg(applicationId)}/history`);
  }

  // ---- evidence -------------------------------------------------------------------------------

  /** Asks for a presigned POST for one file of a checklist item. */
  requestUpload(applicationId: string, request: T.EvidenceRequest, options: { idempotencyKey?: string } = {}) {
    return this.call<T.RequestedUpload>(
      'POST',
      `/v1/applications/${seg(applicationId)}/evidence`,
      request,
      idempotency(options),
    );
  }

  listEvidence(applicationId: string) {
    return this.call<T.EvidenceList>('GET', `/v1/applications/${seg(applicationId)}/evidence`);
  }

  /** Removes an evidence file while its uploader may still change the item (a repeat answers the same). */
  removeEvidence(applicationId: string, evidenceId: string) {
    return this.call<T.RemovedEvidence>('DELETE', `/v1/applications/${seg(applicationId)}/evidence/${seg(evidenceId)}`);
  }

  /**
   * Posts the bytes to the presigned POST an evidence request answered, as a browser does: to
   * S3, not to the API (no token goes along). See upload.ts.
   */
  upload(link: Pick<T.PresignedPost, 'url' | 'fields'>, file: UploadFile): Promise<PostedUpload> {
    return postPresigned(link, file);
  }

  // ---- reviews --------------------------------------------------------------------------------

  /** The signed-in reviewer's pending reviews (and, for a province, its ranking). */
  inbox(params: T.InboxQuery = {}) {
    return this.call<T.Inbox>('GET', `/v1/reviews${query(params)}`);
  }

  /** The review page (HTML) by the emailed link's secret, or signed in when `secret` is undefined. */
  reviewPage(reviewId: string, secret?: string) {
    return this.call<string>('GET', `/v1/reviews/${seg(reviewId)}${query({ t: secret })}`);
  }

  /**
   * Decides a review: with the emailed link's secret (`{ t, decision, … }`, no one signed in) or
   * as the signed-in reviewer of the stage (no `t`).
   */
  decide(reviewId: string, decision: T.Decision) {
    return this.call<T.DecisionView>('POST', `/v1/reviews/${seg(reviewId)}/decision`, decision);
  }

  /** The stage's reviewer asks for the link again. */
  resend(reviewId: string) {
    return this.call<T.Resent>('POST', `/v1/reviews/${seg(reviewId)}/resend`);
  }

  // ---- operations and exports -----------------------------------------------------------------

  opsSummary(params: T.CampaignQuery) {
    return this.call<T.OpsSummary>('GET', `/v1/ops/summary${query(params)}`);
  }

  opsJurisdiction(code: string, params: T.CampaignQuery) {
    return this.call<T.JurisdictionDrillDown>('GET', `/v1/ops/jurisdictions/${seg(code)}${query(params)}`);
  }

  redrive(executionName: string) {
    return this.call<T.RedriveResult>('POST', `/v1/ops/executions/${seg(executionName)}/redrive`);
  }

  /** A summary table: the XLSX's bytes, or the CSV's text. */
  exportSummary(campaignId: string, file: T.SummaryFile, params: T.ExportQuery = {}) {
    return this.call<Uint8Array | string>('GET', `/v1/exports/${seg(campaignId)}/${seg(file)}${query({ ...params })}`);
  }

  // ---- submission packages --------------------------------------------------------------------

  /** Starts building the signed-in province's package (202; built in the background). */
  buildPackage(campaignId: string, body: T.BuildPackage = {}) {
    return this.call<T.PackageView>('POST', `/v1/campaigns/${seg(campaignId)}/packages`, body);
  }

  packages(campaignId: string, params: { jurisdiction?: string } = {}) {
    return this.call<T.PackageList>('GET', `/v1/campaigns/${seg(campaignId)}/packages${query(params)}`);
  }

  /** A package, with a short-lived download link once READY. */
  package(campaignId: string, packageId: string) {
    return this.call<T.PackageView>('GET', `/v1/campaigns/${seg(campaignId)}/packages/${seg(packageId)}`);
  }

  /** Starts verifying a READY package against its manifest (202; checked in the background). */
  verifyPackage(campaignId: string, packageId: string) {
    return this.call<T.PackageView>('POST', `/v1/campaigns/${seg(campaignId)}/packages/${seg(packageId)}/verify`);
  }
}

const idempotency = ({ idempotencyKey }: { idempotencyKey?: string }): ExtraHeaders =>
  idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey };
