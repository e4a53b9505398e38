import { wireOps } from '../shared/composition/operations.ts';
import { makeOpsHandler } from '../shared/operations/handlers.ts';

export const handler = makeOpsHandler(wireOps());
