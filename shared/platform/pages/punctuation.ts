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
