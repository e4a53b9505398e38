import { wireExports } from '../shared/composition/exports.ts';
import { makeExportsHandler } from '../shared/operations/exports/handler.ts';

/** Reads only (TABLE_NAME): Queries on the table and its indexes, never a Scan. */
export const handler = makeExportsHandler(wireExports());
