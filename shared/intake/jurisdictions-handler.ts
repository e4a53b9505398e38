import * as z from 'zod';
import { httpHandler, signedIn } from '../platform/http/handler.ts';
import { json } from '../platform/http/respond.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { childrenOf, getJurisdiction, parentChain, reviewChain } from '../rules/jurisdictions.ts';
import { DivisionCodeSchema } from '../schemas/common.ts';

/* The jurisdictions function's face: reference data only, so its bundle is the GB/T 2260 tree and little else. */

const JurisdictionPathSchema = z.object({ code: DivisionCodeSchema });

/** Reference data (the GB/T 2260 tree in shared/rules): anyone signed in; nothing to wire. */
export function makeJurisdictionsHandler() {
  return httpHandler({
    'GET /v1/jurisdictions/{code}': async (request) => {
      signedIn(request);
      const { code } = parseOrThrow(JurisdictionPathSchema, request.pathParameters, 'path');
      const jurisdiction = getJurisdiction(code);
      return json(200, {
        ...jurisdiction,
        parents: parentChain(code).filter((parent) => parent.code !== code),
        reviewStages: jurisdiction.level === 'county' ? reviewChain(code) : [],
        children: childrenOf(code),
      });
    },
  });
}
