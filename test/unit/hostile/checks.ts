import { expect } from 'vitest';
import type { HttpResult } from '../../../shared/platform/http/respond.ts';

/** What every refusal must look like, and the global state no request may touch. */

const header = (result: HttpResult, name: string): string | undefined => {
  const found = Object.entries((result as { headers?: Record<string, unknown> }).headers ?? {}).find(
    ([key]) => key.toLowerCase() === name,
  );
  return found === undefined ? undefined : String(found[1]);
};

/** A 4xx with exactly `{"error":{"code","message","details"?}}`; details name a field or say why. */
export function expectErrorJson(result: HttpResult, context: string): void {
  expect(result.statusCode, `${context}: ${result.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(result.statusCode, `${context}: ${result.body.slice(0, 300)}`).toBeLessThan(500);
  expect(header(result, 'content-type'), context).toMatch(/^application\/json/);
  const body = JSON.parse(result.body) as Record<string, unknown>;
  expect(Object.keys(body), context).toEqual(['error']);
  const error = body.error as Record<string, unknown>;
  expect(typeof error.code, context).toBe('string');
  expect(typeof error.message, context).toBe('string');
  expect(
    Object.keys(error).every((key) => ['code', 'message', 'details'].includes(key)),
    context,
  ).toBe(true);
  if (error.details !== undefined) {
    expect(Array.isArray(error.details), context).toBe(true);
    for (const detail of error.details as Record<string, unknown>[]) {
      expect(typeof detail.code, context).toBe('string');
      expect(typeof detail.message, context).toBe('string');
      if (detail.field !== undefined) expect(typeof detail.field, context).toBe('string');
    }
  }
}

/** A 4xx HTML page (the review link and console pages answer people, not programs). */
export function expectErrorPage(result: HttpResult, context: string): void {
  expect(result.statusCode, `${context}: ${result.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(result.statusCode, `${context}: ${result.body.slice(0, 300)}`).toBeLessThan(500);
  expect(header(result, 'content-type'), context).toMatch(/^text\/html/);
  expect(result.body.slice(0, 15).toLowerCase(), context).toBe('<!doctype html>');
}

/** The field names a 400 lists. */
export function fieldsOf(result: HttpResult): string[] {
  const details = (JSON.parse(result.body) as { error: { details?: { field?: string }[] } }).error.details ?? [];
  return details.map((detail) => detail.field ?? '');
}

// ---- prototype pollution -----------------------------------------------------------------

const PROTOTYPES = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
};
const snapshot = () =>
  Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]),
  );
const before = snapshot();
const PROBES = ['x', 'polluted', 'isAdmin', 'status', 'admin', 'role', 'toJSON', 'then', 'hostile'];

/** Object.prototype and friends have the keys they had when this module loaded, and no probe leaks. */
export function expectPrototypesClean(context: string): void {
  expect(snapshot(), context).toEqual(before);
  const plain: Record<string, unknown> = {};
  for (const probe of PROBES) expect(plain[probe], `${context}: ({}).${probe}`).toBeUndefined();
  expect(Object.getPrototypeOf(plain), context).toBe(Object.prototype);
}
