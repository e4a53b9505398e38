// Minimal types for s3rver 3.x (the package ships none): only what the local runtime uses.
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { Server } from 'node:http';

  export interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    serviceEndpoint?: string;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** What s3rver emits on 'event': S3 notification shaped, always one record. */
  export interface S3rverEvent {
    Records: {
      eventVersion: string;
      eventSource: string;
      awsRegion: string;
      eventTime: string;
      eventName: string;
      userIdentity: { principalId: string };
      requestParameters: { sourceIPAddress: string };
      responseElements: Record<string, string>;
      s3: {
        s3SchemaVersion: string;
        configurationId: string;
        bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
        object: { key: string; sequencer: string; size?: number; eTag?: string };
      };
    }[];
  }

  export default class S3rver extends EventEmitter {
    constructor(options?: S3rverOptions);
    httpServer?: Server;
    /** Where objects are kept; requests reach it as `context.store` (s3rver is a Koa app). */
    store: import('s3rver/lib/stores/filesystem.js').default;
    context: { store: import('s3rver/lib/stores/filesystem.js').default };
    run(): Promise<{ address: string; port: number; family: string }>;
    /** With a callback: returns the http.Server at once (without one, listen errors go unhandled). */
    listen(port: number, host: string, callback: () => void): Server;
    close(): Promise<void>;
    reset(): void;
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    on(event: string | symbol, listener: (...args: unknown[]) => void): this;
  }
}

declare module 's3rver/lib/stores/filesystem.js' {
  /** s3rver's store of objects as files: `<root>/<bucket>/<key folders>/<name>._S3rver_<resource>`. */
  export default class FilesystemStore {
    constructor(rootDirectory: string);
    getResourcePath(bucket: string, key?: string, resource?: string): string;
    getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
    putObject(object: {
      bucket: string;
      key: string;
      content: Buffer | import('node:stream').Readable;
      metadata: Record<string, string>;
    }): Promise<{ size: number; md5: string }>;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
    copyObject(
      srcBucket: string,
      srcKey: string,
      destBucket: string,
      destKey: string,
      replacementMetadata: Record<string, string> | null,
    ): Promise<Record<string, unknown>>;
    deleteObject(bucket: string, key: string): Promise<void>;
  }
}

declare module 's3rver/lib/models/error.js' {
  /** An error s3rver answers with its S3 code and status (NoSuchKey: 404). */
  export default class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
  }
}

declare module 's3rver/lib/models/object.js' {
  /** An object as s3rver's controllers hand it to a store. */
  export default class S3Object {
    /** The request headers s3rver keeps as an object's metadata (besides `x-amz-meta-*`). */
    static readonly ALLOWED_METADATA: readonly string[];
  }
}
