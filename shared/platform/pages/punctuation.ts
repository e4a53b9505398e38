/**
 * Punctuation in the page's language. A Chinese page writes full-width marks (状态：草稿,
 * 产值（亿元）); an English page the Latin ones (Status: Draft, output (100 million yuan)). A
 * template that writes `：` or `（…）` between translated words leaves Chinese marks in the middle
 * of an English sentence.
 */
import type { Lang } from './i18n.ts';

/** The colon after a label: `：` in Chinese, `: ` in English. */
export const colon = (lang: Lang): string => (lang === 'en' ? ': ' : '：');

/** `text` in brackets after what it qualifies: `（text）` in Chinese, ` (text)` in English. */
export const bracketed = (lang: Lang, text: string): string => (lang === 'en' ? ` (${text})` : `（${text}）`);

/** Several statements in a row: `；` between them in Chinese, `; ` in English. */
export const inARow = (lang: Lang, items: readonly string[]): string => items.join(lang === 'en' ? '; ' : '；');

/** A page's title when the form on it was refused: said first, so a screen reader's title says it. */
export const refusedTitle = (lang: Lang, title: string): string =>
  `${lang === 'en' ? 'Error' : '有误'}${colon(lang)}${title}`;
