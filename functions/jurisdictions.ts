import * as z from 'zod';
import { httpHandler } from '../shared/http/handler.ts';
import { json, parseOrThrow } from '../shared/http/respond.ts';
import { childrenOf, getJurisdiction, parentChain, reviewChain } from '../shared/rules/jurisdictions.ts';
import { DivisionCodeSchema } from '../shared/schemas/common.ts';

const PathSchema = z.object({ code: DivisionCodeSchema });

export const handler = httpHandler({
  'GET /v1/jurisdictions/{code}': async ({ pathParameters }) => {
    const { code } = parseOrThrow(PathSchema, pathParameters, 'path');
    const jurisdiction = getJurisdiction(code);
    return json(200, {
      ...jurisdiction,
      parents: parentChain(code).filter((parent) => parent.code !== code),
      reviewStages: jurisdiction.level === 'county' ? reviewChain(code) : [],
      children: childrenOf(code),
    });
  },
});
