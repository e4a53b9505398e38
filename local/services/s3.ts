import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import type { S3EventRecord } from 'aws-lambda';
import S3rver, { type S3rverEvent } from 's3rver';
import { explainListenError, type Log } from '../log.ts';
import { boundPort } from '../ports.ts';
import { AtomicFilesystemStore } from './s3-store.ts';

/**
 * s3rver, in-process, on loopback. Clients must use path-style URLs, `WHEN_REQUIRED` checksums and
 * the access key S3RVER (see shared/composition/clients.ts). s3rver checks neither signatures nor presigned-POST
 * policies: whatever the upload claims, the validator re-checks size and type itself.
 */
export interface S3Local {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  /**
   * Calls the listener for every ObjectCreated (Put, Post, Copy) in any bucket, with the record
   * reshaped as S3 delivers it to Lambda (key URL-encoded, region set). Returns an unsubscribe.
   */
  onObjectCreated(listener: (record: S3EventRecord) => void): () => void;
  stop(): Promise<void>;
}

export interface S3LocalOptions {
  /** Where s3rver keeps buckets and objects; created if missing. */
  directory: string;
  /** 0 = any free port. */
  port: number;
  host?: string;
  /** Region written into event records (s3rver always says us-east-1). */
  region: string;
  log: Log;
}

export async function startS3Local(options: S3LocalOptions): Promise<S3Local> {
  const directory = resolve(options.directory);
  await mkdir(directory, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const server = new S3rver({
    address: host,
    port: options.port,
    directory,
    silent: true,
    // Buckets are addressed by path; vhost-style would take Host headers as bucket names.
    vhostBuckets: false,
    resetOnClose: false,
  });
  // Copies and deletes as atomic as S3's (see s3-store.ts): replayed events race on one key.
  server.store = server.context.store = new AtomicFilesystemStore(directory);
  // Not server.run(): it leaves a listen error unhandled, which crashes the process. With a
  // callback, listen() hands back the http.Server, whose errors can be caught.
  const httpServer = await new Promise<Server>((resolveListen, reject) => {
    const listening: Server = server.listen(options.port, host, () => {
      listening.off('error', reject);
      resolveListen(listening);
    });
    listening.once('error', reject);
  }).catch((error: unknown) => {
    throw explainListenError(error, 's3rver', options.port, '--s3-port');
  });
  server.httpServer = httpServer;
  const port = boundPort(httpServer);
  const endpoint = `http://${host}:${port}`;
  options.log.info(`s3rver on ${endpoint}, data in ${directory}`);

  const listeners = new Set<(record: S3EventRecord) => void>();
  // s3rver's sequencer is Date.now() in hex: two writes to one key in the same millisecond would
  // carry the same one, and the newer would pass for a replay of the older. S3's sequencers grow
  // with each write to a key; here they grow with each event, in s3rver's own hex form.
  let lastSequencer = 0;
  server.on('event', (event: S3rverEvent) => {
    for (const raw of event.Records) {
      if (!raw.eventName.startsWith('ObjectCreated:')) continue;
      lastSequencer = Math.max(lastSequencer + 1, parseInt(raw.s3.object.sequencer, 16) || 0);
      const record = toLambdaRecord(raw, options.region, lastSequencer.toString(16).toUpperCase());
      for (const listener of listeners) {
        // s3rver emits synchronously while answering the upload: a throwing listener must not
        // turn a stored object into a failed request.
        try {
          listener(record);
        } catch (error) {
          options.log.error(`ObjectCreated listener failed for ${raw.s3.object.key}`, error);
        }
      }
    }
  });

  return {
    endpoint,
    port,
    onObjectCreated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      listeners.clear();
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}

/**
 * S3 notifications carry the key URL-encoded, spaces as '+' ("red flower.jpg" arrives as
 * "red+flower.jpg"); s3rver sends it raw. Encode it like S3, so the validator's
 * `decodeURIComponent(key.replace(/\+/g, ' '))` is exercised locally too.
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replaceAll('%20', '+'))
    .join('/');
}

function toLambdaRecord(raw: S3rverEvent['Records'][number], region: string, sequencer: string): S3EventRecord {
  const { bucket, object } = raw.s3;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: raw.eventTime,
    eventName: raw.eventName,
    userIdentity: raw.userIdentity,
    requestParameters: raw.requestParameters,
    responseElements: {
      'x-amz-request-id': raw.responseElements['x-amz-request-id'] ?? '',
      'x-amz-id-2': raw.responseElements['x-amz-id-2'] ?? '',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'local-evidence-validator',
      bucket: { name: bucket.name, ownerIdentity: bucket.ownerIdentity, arn: `arn:aws:s3:::${bucket.name}` },
      object: {
        key: encodeEventKey(object.key),
        size: object.size ?? 0,
        eTag: object.eTag ?? '',
        sequencer,
      },
    },
  };
}
