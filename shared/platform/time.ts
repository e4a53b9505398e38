/**
 * Time as the pipeline shows it, all in Beijing time (UTC+8): deadlines are announced in it. One
 * module for every formatter: wall-clock stamps for tables, pages and stored dates, and words,
 * Chinese first, then English, for pages and emails.
 */
import type { Bilingual } from '../schemas/common.ts';

// ---- Beijing wall-clock time: the one place that knows the offset ----

/** Beijing is UTC+8 all year (no daylight saving time). */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** An instant's wall-clock time in Beijing, `YYYY-MM-DDTHH:MM:SS`: deadlines are announced in Beijing time. */
export const beijingWallClock = (at: string | Date): string =>
  new Date((typeof at === 'string' ? Date.parse(at) : at.getTime()) + BEIJING_OFFSET_MS).toISOString().slice(0, 19);

/** The calendar day (YYYY-MM-DD) of an instant in Beijing. */
export const beijingDate = (iso: string) => beijingWallClock(iso).slice(0, 10);

/** Renders an instant as ISO 8601 in Beijing time (+08:00), to the second. */
export function toBeijingIso(date: Date): string {
  return `${beijingWallClock(date)}+08:00`;
}

/** An instant in Beijing time to the second, for logs: 2025-07-15 23:59:59. */
export const beijingStamp = (iso: string): string => beijingWallClock(iso).replace('T', ' ');

/** "2025-07-15 23:59" in Beijing time: an applicant's email. */
export const beijingMinutes = (iso: string): string => beijingWallClock(iso).slice(0, 16).replace('T', ' ');

// ---- in words ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant in Beijing time (UTC+8), in words. */
export function beijingTime(iso: string): Bilingual {
  const at = new Date(Date.parse(iso) + BEIJING_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  const [y, m, d] = [at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()];
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
  return {
    zh: `${y}年${m + 1}月${d}日 ${time}（北京时间）`,
    en: `${d} ${MONTHS[m]} ${y}, ${time} Beijing time (UTC+8)`,
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * "about 3 days left" (to the nearest day: a reminder an hour after its 7-day mark still says 7),
 * or "less than a day left (about 5 hours)", between now and the deadline.
 */
export function timeLeft(deadline: string, now: string): Bilingual {
  const ms = Date.parse(deadline) - Date.parse(now);
  if (ms <= 0) return { zh: '已截止', en: 'the deadline has passed' };
  if (ms >= DAY_MS) {
    const days = Math.round(ms / DAY_MS);
    return { zh: `剩余约 ${days} 天`, en: `about ${days} day${days === 1 ? '' : 's'} left` };
  }
  const hours = Math.max(1, Math.floor(ms / HOUR_MS));
  return {
    zh: `剩余不足 1 天（约 ${hours} 小时）`,
    en: `less than a day left (about ${hours} hour${hours === 1 ? '' : 's'})`,
  };
}
