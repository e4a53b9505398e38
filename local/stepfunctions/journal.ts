import { appendFileSync, closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Append-only JSON-lines files: what the local runtime keeps on disk so that `npm start` killed
 * at any instant (SIGKILL, OOM, a crash) and started again loses nothing.
 *
 * Why this design, and why it is enough for process death:
 *
 * - Every change is one line, appended with one synchronous write(2) (`appendFileSync`, O_APPEND)
 *   *before* the change has any effect outside the process: before a handler runs, before an API
 *   call is answered, before a timer is armed. Node runs one thing at a time, so nothing can
 *   observe the change between the moment it is made and the moment it is on its way to disk.
 * - A write(2) that returned is in the kernel's page cache: the death of the process cannot undo
 *   it. A SIGKILL that lands *during* a write (a large line crosses pages, and Linux checks for
 *   fatal signals between pages) leaves a torn last line, without its newline. That change had
 *   not taken effect (the writer never got past the write), so the reader drops the torn line and
 *   the next writer cuts it off before appending (`repairTail`). No line before it can be torn.
 * - No rename dance and no rewriting: a file is only ever appended to, so there is no moment
 *   when it is half old and half new.
 * - No fsync: that would protect against the *machine* dying (power loss, kernel panic), at a
 *   cost of milliseconds per line on real disks. The local runtime is a developer's stand-in; its
 *   other stores (DynamoDB Local, s3rver) make no such promise either.
 */

/** Appends one record as a line. Throws if the disk refuses (full, read-only): better loud than lost. */
export function appendLine(file: string, record: unknown): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/**
 * The records of a journal file, in order. A last line without its newline (torn by a kill
 * mid-write) is dropped, and so is any line that is not JSON (a hand edit): the rest still loads.
 */
export function readLines(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const records: unknown[] = [];
  for (const line of complete.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // not a record: skipped
    }
  }
  return records;
}

/**
 * Cuts a torn last line off (see above), so that the next append starts a line of its own.
 * Call before appending to a file written by an earlier process.
 */
export function repairTail(file: string): void {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, text.lastIndexOf(0x0a) + 1);
  } finally {
    closeSync(fd);
  }
}

/** Creates the directory (and parents) if missing. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** The `.jsonl` files of a directory, sorted by name (none if it does not exist). */
export function journalFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
      .map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
