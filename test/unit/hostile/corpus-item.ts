import type { FileType } from '../../../shared/schemas/common.ts';
import type { FindingCode } from '../../../shared/validation/inspect.ts';

/** One item of the hostile upload corpus (./corpus.ts, ./corpus-active.ts). */
export interface CorpusItem {
  id: string;
  category: string;
  /** What the upload request declared. */
  declared: FileType;
  bytes: () => Promise<Buffer>;
  /** The finding that must be among those reported. */
  expect: FindingCode;
  /** The declared size, from the real one (default: the real one). */
  declaredSize?: (actual: number) => number;
  /** The checklist item's limit (default 20 MiB). */
  maxBytes?: number;
  /** A declared SHA-256 (default: none). */
  sha256?: (bytes: Buffer) => string;
}
