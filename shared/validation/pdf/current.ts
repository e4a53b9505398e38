import type { ReferenceLog } from './references.ts';

/**
 * Which definition of each object number a reader loads, from the cross-reference sections it
 * reads (./xref.ts), and whether the references in those definitions carry the generations a
 * reader needs to fetch what they name without rebuilding the file.
 */

/** Where a current entry's object is, when not at a header: in an object stream, or nowhere (free). */
export const PACKED = -1;
export const FREE = -2;

/**
 * The entry a reader takes for each number: the first met from `startxref` on (the newest
 * section's; pdf.js and MuPDF both), whether in use (an object header's position, or PACKED) or
 * FREE (the number was deleted: a reader reads null for it). Two entries of one level that
 * differ leave the number's generation NaN: which a reader takes cannot be known.
 */
export class CurrentEntries {
  private readonly levelOf = new Map<number, number>();
  /** Each number's entry; `free` when any entry of its level lists it free. */
  private readonly current = new Map<number, { level: number; gen: number; at: number; free: boolean }>();

  constructor(levels: number[][]) {
    levels.forEach((sections, level) => {
      for (const section of sections) this.levelOf.set(section, level);
    });
  }

  /** An entry of section `section` for `num`, of generation `gen`, at header position `at` (or PACKED, FREE). */
  offer(num: number, section: number, gen: number, at: number): void {
    const level = this.levelOf.get(section);
    if (level === undefined) return; // a section no reader reaches
    const before = this.current.get(num);
    if (before === undefined || level < before.level) this.current.set(num, { level, gen, at, free: at === FREE });
    else if (level === before.level) {
      if (before.gen !== gen || before.at !== at) before.gen = Number.NaN;
      if (at === FREE) before.free = true;
    }
  }

  /** Whether the entry for `num` in section `section` is of the level a reader takes `num` from. */
  isCurrent(num: number, section: number): boolean {
    const level = this.levelOf.get(section);
    return level !== undefined && this.current.get(num)?.level === level;
  }

  /**
   * The header position a reader fetches `num gen R` from: its current entry's, when in use at
   * one header of that generation, and no entry of its level free.
   */
  header(num: number, gen: number): number | undefined {
    const entry = this.current.get(num);
    return entry && entry.at >= 0 && !entry.free && entry.gen === gen ? entry.at : undefined;
  }

  /**
   * Whether every reader finds object `num`: its entry is in use, and no entry of its level lists
   * it free. A hybrid file's table may list as free what its /XRefStm places in an object stream:
   * pdf.js takes the table's entry (the first it reads for the number) and reads null, which for
   * the catalog makes it rebuild the file from all its bytes.
   */
  inUse(num: number): boolean {
    const entry = this.current.get(num);
    return entry !== undefined && !entry.free;
  }

  /**
   * A number that a definition a reader loads refers to with another generation than its
   * current entry's, or undefined. pdf.js fetches an object at a header only if the generations
   * agree (an object stream's, and a free number's, are fetched whatever the generation). A
   * reference in a definition no current entry names (an older one, replaced in an update) is
   * never followed; object streams' and trailers' references are taken as followed.
   */
  wrongGeneration(references: ReferenceLog): number | undefined {
    const needed = new Set<number>();
    for (const [num, gen] of references.gens) {
      const entry = this.current.get(num);
      if (entry === undefined || entry.at < 0 || entry.gen === gen) continue;
      const loose = references.loose.get(num);
      if (Number.isNaN(entry.gen) || (loose !== undefined && loose !== entry.gen) || references.overflowed) return num;
      needed.add(num);
    }
    if (needed.size === 0) return undefined;
    let wrong: number | undefined;
    references.forEach((num, gen, inNum, inAt) => {
      if (wrong !== undefined || !needed.has(num) || this.current.get(num)?.gen === gen) return;
      const holder = this.current.get(inNum);
      if (holder !== undefined && (holder.at === inAt || Number.isNaN(holder.gen))) wrong = num;
    });
    return wrong;
  }
}
