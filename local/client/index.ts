/**
 * The one client of our HTTP API (see api-client.ts), the presigned-POST upload (upload.ts), the
 * people of a local stack (people.ts) and the local SES mailbox (mailbox.ts).
 */
export * from './api-client.ts';
export * from './mailbox.ts';
export * from './people.ts';
export type * from './types.ts';
export * from './upload.ts';
