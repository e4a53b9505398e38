import { makeJurisdictionsHandler } from '../shared/intake/jurisdictions-handler.ts';

/** Reference data only: no table, no client, nothing to wire. */
export const handler = makeJurisdictionsHandler();
