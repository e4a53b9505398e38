import { describe, expect, it } from 'vitest';
import { MAX_LOGGED, ReferenceLog } from '../../../../shared/validation/pdf/references.ts';

/** The reference log (shared/validation/pdf/references.ts): each reference with the definition it is in. */

const logged = (log: ReferenceLog) => {
  const seen: number[][] = [];
  log.forEach((num, gen, inNum, inAt) => seen.push([num, gen, inNum, inAt]));
  return seen;
};

describe('the reference log', () => {
  it('keeps each reference of a definition in the file’s syntax with that definition; the rest apart', () => {
    const log = new ReferenceLog();
    log.begin(3, 100);
    log.add(6, 0);
    log.add(5, 0);
    log.begin(-1); // a trailer
    log.add(1, 0);
    log.begin(7); // an object in an object stream
    log.add(6, 1);
    log.begin(3, 900);
    log.add(6, 1);
    expect(logged(log)).toEqual([
      [6, 0, 3, 100],
      [5, 0, 3, 100],
      [6, 1, 3, 900],
    ]);
    expect(log.loose).toEqual(
      new Map([
        [1, 0],
        [6, 1],
      ]),
    );
    expect(log.gens.get(6)).toBeNaN();
    expect(log.gens.get(5)).toBe(0);
    expect(log.overflowed).toBe(false);
  });

  it('gives up past MAX_LOGGED references, and on a number or generation an Int32 cannot hold', () => {
    const many = new ReferenceLog();
    many.begin(1, 0);
    for (let i = 0; i <= MAX_LOGGED; i++) many.add(i % 1000, 0);
    expect(many.overflowed).toBe(true);
    for (const [num, gen] of [
      [2 ** 32 + 6, 0],
      [6, 2 ** 31],
      [6, -1],
    ] as const) {
      const log = new ReferenceLog();
      log.begin(1, 0);
      log.add(num, gen);
      expect(log.overflowed, `${num} ${gen}`).toBe(true);
      // The map of generations by number still holds it as written.
      expect(log.gens.get(num)).toBe(gen);
    }
  });
});
