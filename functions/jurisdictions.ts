import * as z from 'zod';
import { httpHandler, signedIn } from '../shared/platform/http/handler.ts';
import { json } from '../shared/platform/http/respond.ts';
import { parseOrThrow } from '../shared/platform/parse.ts';
import { childrenOf, getJurisdiction, parentChain, reviewChain } from '../shared/rules/jurisdictions.ts';
import { DivisionCodeSchema } from '../shared/schemas/common.ts';

const PathSchema = z.object({ code: DivisionCodeSchema });

/** Reference data: anyone signed in. */
export const handler = httpHandler({
  'GET /v1/jurisdictions/{code}': async (request) => {
    signedIn(request);
    const { code } = parseOrThrow(PathSchema, request.pathParameters, 'path');
    const jurisdiction = getJurisdiction(code);
    return json(200, {
      ...jurisdiction,
      parents: parentChain(code).filter((parent) => parent.code !== code),
      reviewStages: jurisdiction.level === 'county' ? reviewChain(code) : [],
      children: childrenOf(code),
    });
  },
});
