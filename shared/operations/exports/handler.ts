import * as z from 'zod';
import { httpHandler, signedIn } from '../../platform/http/handler.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import { DivisionCodeSchema, TrackSchema } from '../../schemas/common.ts';
import { attachment } from './response.ts';
import { SUMMARY_FILES, type SummaryExports } from './summary.ts';

/* The exports function's face, apart from the ops function's: the workbook writer (exceljs) stays in this bundle only. */

/** Path and query together, so one 400 names every bad field (`path.file`, `query.jurisdiction`). */
const ExportRequestSchema = z.object({
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

export interface ExportsHandlerDeps {
  summaries: Pick<SummaryExports, 'file'>;
}

/**
 * Summary tables (推荐汇总表, 复核情况汇总表, 典型案例信息汇总表) as XLSX or CSV. The table is the
 * signed-in reviewer's or operator's own jurisdiction's unless `jurisdiction` names another they
 * may export.
 */
export function makeExportsHandler({ summaries }: ExportsHandlerDeps) {
  return httpHandler({
    'GET /v1/exports/{campaignId}/{file}': async (request) => {
      const { path, query: q } = parseOrThrow(ExportRequestSchema, {
        path: request.pathParameters,
        query: request.query,
      });
      const principal = signedIn(request);
      const jurisdiction = q.jurisdiction ?? principal.jurisdiction;
      return attachment(await summaries.file({ ...path, jurisdiction, ...(q.track && { track: q.track }) }, principal));
    },
  });
}
