/**
 * Where each file goes in the package, in folders named as the notices name what a province sends
 * MIIT (工信厅企业函〔2025〕77号): its formal letter (正式推荐文件; 正式复核意见文件 for the
 * re-review), its summary table (推荐汇总表, 附件2; 复核情况汇总表, 附件4), then each application's
 * stamped form (申报表 / 复核申报表) and its evidence (佐证材料) criterion by criterion:
 *
 *   01_正式推荐文件/<the letter as filed>
 *   02_推荐汇总表（附件2）/<the summary table>.xlsx
 *   03_申报材料/01_敦化市医药产业集群/01_申报表/<the stamped form>
 *   03_申报材料/01_敦化市医药产业集群/02_佐证材料/01_具有较强核心竞争力/<file>
 *
 * Pure: names in, paths out. Names become safe path segments (no separators, control characters
 * or characters Windows refuses), and two files that would share a path are told apart.
 */
import type { Track } from '../schemas/common.ts';

export interface TrackFolders {
  letter: string;
  summary: string;
  applications: string;
  /** The stamped form's folder inside an application's. */
  form: string;
  evidence: string;
}

export const PACKAGE_FOLDERS: Readonly<Record<Track, TrackFolders>> = {
  recommendation: {
    letter: '01_正式推荐文件',
    summary: '02_推荐汇总表（附件2）',
    applications: '03_申报材料',
    form: '01_申报表',
    evidence: '02_佐证材料',
  },
  rereview: {
    letter: '01_正式复核意见文件',
    summary: '02_复核情况汇总表（附件4）',
    applications: '03_复核申报材料',
    form: '01_复核申报表',
    evidence: '02_佐证材料',
  },
  'typical-case': {
    // The batch goes with the gathering level's own cultivation measures, not a letter.
    letter: '01_培育举措',
    summary: '02_典型案例信息汇总表',
    applications: '03_典型案例材料',
    form: '01_申报表',
    evidence: '02_案例材料',
  },
};

/** The checklist items that are the stamped form itself, not evidence. */
export const FORM_ITEMS: ReadonlySet<string> = new Set(['application-form', 'rereview-form']);

/** Characters a ZIP path segment must not carry: separators, Windows' reserved ones, controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|]/g;
const MAX_SEGMENT = 120;

/** A name as one safe path segment: never empty, never "." or "..", at most 120 characters. */
export function segment(name: string): string {
  const cleaned = name.normalize('NFC').replace(UNSAFE, '_').trim().replace(/^\.+$/, '_');
  const chars = [...cleaned];
  if (chars.length === 0) return '_';
  if (chars.length <= MAX_SEGMENT) return cleaned;
  // Keep the extension: it tells the reader (and the OS) what the file is.
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return [...cleaned.slice(0, cleaned.length - ext.length)].slice(0, MAX_SEGMENT - ext.length).join('') + ext;
}

/** `07_name`: numbered from 1, at least two digits (three when there are 100 or more). */
export function numbered(index: number, count: number, name: string): string {
  const width = Math.max(2, String(count).length);
  return `${String(index + 1).padStart(width, '0')}_${segment(name)}`;
}

/**
 * Hands out paths, telling apart two files that would land on the same one:
 * `报告.pdf`, `报告(2).pdf`, `报告(3).pdf`. Case is ignored (Windows and macOS ignore it).
 */
export class PathAllocator {
  private readonly taken = new Set<string>();

  take(folder: string, fileName: string): string {
    const name = segment(fileName);
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 1; ; n++) {
      const candidate = `${folder}/${n === 1 ? name : `${stem}(${n})${ext}`}`;
      const key = candidate.toLowerCase();
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return candidate;
      }
    }
  }
}
