import { makeJurisdictionsHandler } from '../shared/intake/handlers.ts';

/** Reference data only: no table, no client, nothing to wire. */
export const handler = makeJurisdictionsHandler();
