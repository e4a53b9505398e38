/**
 * Time in words, as people read it in pages and emails: Beijing time (UTC+8, deadlines are
 * announced in it), Chinese first, then English.
 */
import { BEIJING_OFFSET_MS, type Bilingual } from '../schemas/common.ts';

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
