import { entry, nameOf, type PdfValue } from './syntax.ts';

/**
 * The catalog a reader opens, and its page tree. pdf.js takes the trailer's /Root only when it
 * is a dictionary (not a stream's) whose /Pages is one; otherwise it rebuilds the file from all
 * its bytes, stream data included, and takes the last catalog it finds there (./xref.ts says why
 * that is refused). So every definition of the /Root's number must be a dictionary with a /Pages
 * that is a dictionary, or a reference to a number in use whose every definition is one.
 * (Every definition, not only the one the newest entry names: which one a reader takes is the
 * cross-reference check's business, and genuine files redefine a catalog only as a catalog.)
 */

/** What the check asks of the cross-references. */
export interface Definitions {
  inUse(num: number): boolean;
  /**
   * The definitions of each of `nums` in the file's own syntax (one pass over them all): for
   * each number, whether each definition is a dictionary, by header position.
   */
  headers(nums: ReadonlySet<number>): Map<number, Map<number, boolean>>;
  /** How many definitions of `num` the object streams hold. */
  packedCount(num: number): number;
}

export class CatalogFacts {
  /** The /Pages of each definition that may be a catalog (a dictionary with /Pages or /Type /Catalog), by header position. */
  private readonly catalogsAt = new Map<number, PdfValue | undefined>();
  /** The same, for definitions in object streams, by object number. */
  private readonly packedCatalogs = new Map<number, Array<PdfValue | undefined>>();
  /** Numbers with a definition in an object stream that is not a dictionary. */
  private readonly packedNotDicts = new Set<number>();

  /** A definition whose value is a dictionary (not a stream's), at header position `at`. */
  addDefinition(value: PdfValue, at: number): void {
    if (mayBeCatalog(value)) this.catalogsAt.set(at, entry(value, 'Pages'));
  }

  /** A definition of `num` in an object stream. */
  addPacked(num: number, value: PdfValue): void {
    if (value.kind !== 'dict') this.packedNotDicts.add(num);
    else if (mayBeCatalog(value)) {
      const list = this.packedCatalogs.get(num);
      if (list) list.push(entry(value, 'Pages'));
      else this.packedCatalogs.set(num, [entry(value, 'Pages')]);
    }
  }

  /** Why `root` (a trailer's /Root) is no catalog a reader opens without rebuilding the file, or undefined. */
  check(root: PdfValue, definitions: Definitions): string | undefined {
    const pages: Array<PdfValue | undefined> = [];
    if (root.kind === 'dict') pages.push(root.entries.get('Pages'));
    else if (root.kind === 'ref') {
      for (const at of definitions
        .headers(new Set([root.num]))
        .get(root.num)
        ?.keys() ?? []) {
        if (!this.catalogsAt.has(at)) return CATALOG;
        pages.push(this.catalogsAt.get(at));
      }
      const packed = this.packedCatalogs.get(root.num) ?? [];
      if (packed.length !== definitions.packedCount(root.num)) return CATALOG;
      pages.push(...packed);
    }
    // Each number once: a catalog defined many times over names the same few.
    const trees = new Set<number>();
    for (const tree of pages) {
      if (tree?.kind === 'dict') continue;
      if (tree?.kind !== 'ref') return PAGES;
      trees.add(tree.num);
    }
    // In use, and every definition a dictionary.
    for (const num of trees) if (!definitions.inUse(num) || this.packedNotDicts.has(num)) return PAGES;
    for (const found of definitions.headers(trees).values()) for (const dict of found.values()) if (!dict) return PAGES;
    return undefined;
  }
}

const CATALOG = 'the catalog (/Root) is not a dictionary with /Pages';
const PAGES = "the catalog's /Pages is not a dictionary";

/** A dictionary that may be a catalog: with /Pages or /Type /Catalog (one without /Pages is no catalog to pdf.js). */
function mayBeCatalog(value: PdfValue): boolean {
  return value.kind === 'dict' && (value.entries.has('Pages') || nameOf(entry(value, 'Type')) === 'Catalog');
}
