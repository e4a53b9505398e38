import { wireExports } from '../shared/composition/operations.ts';
import { makeExportsHandler } from '../shared/operations/handlers.ts';

/** Reads only (TABLE_NAME): Queries on the table and its indexes, never a Scan. */
export const handler = makeExportsHandler(wireExports());
