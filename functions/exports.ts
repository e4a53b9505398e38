import * as z from 'zod';
import { wireExports } from '../shared/composition/operations.ts';
import { attachment } from '../shared/operations/exports/response.ts';
import { SUMMARY_FILES } from '../shared/operations/exports/summary.ts';
import { httpHandler, signedIn } from '../shared/platform/http/handler.ts';
import { parseOrThrow } from '../shared/platform/parse.ts';
import { DivisionCodeSchema, TrackSchema } from '../shared/schemas/common.ts';

/**
 * Summary tables (推荐汇总表, 复核情况汇总表, 典型案例汇总表) as XLSX or CSV. Reads only (TABLE_NAME):
 * Queries on the table and its indexes, never a Scan. The table is the signed-in reviewer's or
 * operator's own jurisdiction's unless `jurisdiction` names another they may export.
 */
const { summaries } = wireExports();

/** Path and query together, so one 400 names every bad field (`path.file`, `query.jurisdiction`). */
const RequestSchema = z.object({
  path: z.object({
    campaignId: z.string().min(1).max(64),
    file: z.enum(SUMMARY_FILES),
  }),
  query: z.object({
    /**
     * A provincial-rank code, a city code (where its province asks for per-city tables) or 000000.
     * Default: the principal's own jurisdiction.
     */
    jurisdiction: DivisionCodeSchema.optional(),
    /** Default: the campaign's first track. */
    track: TrackSchema.optional(),
  }),
});

export const handler = httpHandler({
  'GET /v1/exports/{campaignId}/{file}': async (request) => {
    const { path, query: q } = parseOrThrow(RequestSchema, { path: request.pathParameters, query: request.query });
    const principal = signedIn(request);
    const jurisdiction = q.jurisdiction ?? principal.jurisdiction;
    return attachment(await summaries.file({ ...path, jurisdiction, ...(q.track && { track: q.track }) }, principal));
  },
});
