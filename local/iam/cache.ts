import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionPolicies, LocalResources } from './extract.ts';

/**
 * The resolved policies, cached on disk under a hash of everything they come from: every file
 * under infra/ and shared/ (the CDK app and the specs it reads), cdk.json, package-lock.json (the
 * CDK version) and the local resources. Building the CDK app takes seconds; a restart with nothing
 * changed reads one small file instead. Any edit to those files is a new key.
 */

const SOURCES = ['infra', 'shared'];
const FILES = ['cdk.json', 'package-lock.json'];

async function filesUnder(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function policiesKey(root: string, resources: LocalResources): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(resources));
  const files = [
    ...(await Promise.all(SOURCES.map((folder) => filesUnder(root, folder)))).flat(),
    ...FILES.map((f) => join(root, f)),
  ];
  for (const file of files) hash.update(file.slice(root.length)).update(await readFile(file));
  return hash.digest('hex').slice(0, 32);
}

export async function readCachedPolicies(directory: string, key: string): Promise<FunctionPolicies | undefined> {
  try {
    return JSON.parse(await readFile(join(directory, `${key}.json`), 'utf8')) as FunctionPolicies;
  } catch {
    return undefined;
  }
}

export async function writeCachedPolicies(directory: string, key: string, policies: FunctionPolicies): Promise<void> {
  await mkdir(directory, { recursive: true });
  // Written aside and renamed: a concurrent start never reads half a file.
  const partial = join(directory, `${key}.${process.pid}.tmp`);
  await writeFile(partial, JSON.stringify(policies));
  await rename(partial, join(directory, `${key}.json`));
}
