/**
 * A refused row of an imported list, said once in each language: what is wrong with the cell and
 * what to write there. The report keeps both in `message` for a client that shows one line, and
 * each alone for the console's page, which shows its own language (a message's halves cannot be
 * told apart by script: the English half names the list's Chinese columns and places).
 */
import type { RowRefusal } from './api-schemas.ts';

/** What is wrong and what to write, in each language. */
export interface Said {
  zh: string;
  en: string;
}

export function rowRefusal(at: { row: number; column: string; code: string }, said: Said): RowRefusal {
  return { ...at, message: `${said.zh} / ${said.en}`, zh: said.zh, en: said.en };
}
