import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import { EVIDENCE_PREFIX } from '../shared/rules/storage.ts';
import { EVENT_FUNCTIONS } from '../shared/platform/functions.ts';
import { invokeWithTimeout, loadHandlerModule, makeLambdaContext } from './lambda.ts';
import type { Log } from './log.ts';

/**
 * S3 → validator delivery, as AWS does it for the evidence bucket: an ObjectCreated notification
 * under evidence/ invokes the validator asynchronously with `{ Records: [record] }`; a failed
 * invocation is retried twice; when retries are exhausted the event goes to the failure
 * destination (an SQS queue in AWS, `<dataDir>/dead-letters.jsonl` here, in the record format
 * Lambda writes to destinations).
 *
 * Unlike AWS, events for one key are delivered one at a time and in order (different keys run
 * concurrently). Duplicates can still reach the validator (a key uploaded twice), so it must stay
 * idempotent as in AWS.
 */

/** Emitted once per delivered event, after the last attempt. */
export interface ValidatedEvent {
  bucket: string;
  /** The object key as stored (decoded, not as in the event record). */
  key: string;
  eventName: string;
  ok: boolean;
  attempts: number;
  /** The last error message when !ok. */
  error?: string;
  /** The record as the validator received it. */
  record: S3EventRecord;
}

export type EventInvoker = (event: S3Event, context: Context) => Promise<unknown>;

export interface S3EventDeliveryOptions {
  /** Default: the validator module, EVENT_FUNCTIONS.validator.entry. */
  invoke?: EventInvoker;
  deadLetterFile: string;
  region: string;
  /** Waits before each retry; its length is the number of retries. Default [1000, 2000]. */
  retryDelaysMs?: readonly number[];
  /** Lambda timeout of the validator (default 60 s). */
  timeoutMs?: number;
  /** Which records reach the validator. Default: ObjectCreated under EVIDENCE_PREFIX. */
  filter?: (record: S3EventRecord, key: string) => boolean;
  log: Log;
}

const FUNCTION_NAME = 'local-validator';

export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export class S3EventDelivery extends EventEmitter<{ validated: [ValidatedEvent] }> {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborter = new AbortController();
  private readonly invoke: EventInvoker;
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly filter: (record: S3EventRecord, key: string) => boolean;

  constructor(private readonly options: S3EventDeliveryOptions) {
    super();
    this.retryDelaysMs = options.retryDelaysMs ?? [1_000, 2_000];
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.filter =
      options.filter ??
      ((record, key) => record.eventName.startsWith('ObjectCreated:') && key.startsWith(EVIDENCE_PREFIX));
    this.invoke =
      options.invoke ??
      (async (event, context) => {
        const handler = await loadHandlerModule(EVENT_FUNCTIONS.validator.entry);
        return invokeWithTimeout(handler, event, context, this.timeoutMs);
      });
  }

  /** Queues one record (returns at once, as S3 does not wait for the function). */
  deliver(record: S3EventRecord): void {
    if (this.aborter.signal.aborted) return;
    const bucket = record.s3.bucket.name;
    const key = decodeEventKey(record.s3.object.key);
    if (!this.filter(record, key)) return;
    const queueKey = `${bucket}/${key}`;
    const previous = this.queues.get(queueKey) ?? Promise.resolve();
    const next = previous
      .then(() => this.run(record, bucket, key))
      .catch((error: unknown) => this.options.log.error(`delivery of s3://${bucket}/${key} failed:`, error));
    this.queues.set(queueKey, next);
    this.inFlight.add(next);
    // `next` caught its own failure above, so the promise `finally` returns cannot reject.
    void next.finally(() => {
      this.inFlight.delete(next);
      if (this.queues.get(queueKey) === next) this.queues.delete(queueKey);
    });
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Stops taking events and waits (up to graceMs) for deliveries under way; events still waiting
   * for a retry after that go to the dead-letter file, so none is lost silently.
   */
  async stop(graceMs = 10_000): Promise<void> {
    const settled = this.idle();
    const done = await Promise.race([settled.then(() => true), sleep(graceMs).then(() => false)]);
    this.aborter.abort();
    if (!done) await settled;
  }

  private async run(record: S3EventRecord, bucket: string, key: string): Promise<void> {
    const event: S3Event = { Records: [record] };
    const requestId = randomUUID();
    let attempts = 0;
    let lastError: unknown;
    for (;;) {
      attempts += 1;
      const context = makeLambdaContext({
        functionName: FUNCTION_NAME,
        region: this.options.region,
        timeoutMs: this.timeoutMs,
        requestId,
      });
      try {
        await this.invoke(event, context);
        this.emit('validated', { bucket, key, eventName: record.eventName, ok: true, attempts, record });
        return;
      } catch (error) {
        lastError = error;
        const delay = this.retryDelaysMs[attempts - 1];
        this.options.log.error(
          `validator failed on s3://${bucket}/${key} (attempt ${attempts}${delay === undefined ? ', giving up' : ''}):`,
          error,
        );
        if (delay === undefined || this.aborter.signal.aborted) break;
        try {
          await sleep(delay, undefined, { signal: this.aborter.signal });
        } catch {
          break; // stopping: dead-letter it rather than retry later
        }
      }
    }
    await this.deadLetter(event, requestId, attempts, lastError);
    const message = lastError instanceof Error ? lastError.message : String(lastError);
    this.emit('validated', {
      bucket,
      key,
      eventName: record.eventName,
      ok: false,
      attempts,
      error: message,
      record,
    });
  }

  private async deadLetter(event: S3Event, requestId: string, attempts: number, error: unknown): Promise<void> {
    const err = error instanceof Error ? error : new Error(String(error));
    const entry = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: `arn:aws:lambda:${this.options.region}:000000000000:function:${FUNCTION_NAME}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: err.name,
        errorMessage: err.message,
        trace: (err.stack ?? '').split('\n'),
      },
    };
    try {
      await mkdir(dirname(this.options.deadLetterFile), { recursive: true });
      await appendFile(this.options.deadLetterFile, `${JSON.stringify(entry)}\n`);
      this.options.log.warn(`dead-lettered s3 event to ${this.options.deadLetterFile}`);
    } catch (writeError) {
      this.options.log.error('could not write the dead-letter file:', writeError);
    }
  }
}
