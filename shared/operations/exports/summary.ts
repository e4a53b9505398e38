/**
 * The summary-table use case: read what a jurisdiction's table needs (Query only, never a Scan),
 * build the table (shared/operations/exports/exports.ts) and write it as XLSX or CSV.
 *
 * Reads per request:
 * - a city or a provincial-rank jurisdiction: its province's applications of the campaign (one
 *   byJurisdiction Query, paginated) and the province's scored decisions (one Query);
 * - MIIT (the national table): the campaign's per-province tallies (one Query), then the same two
 *   Queries for each province that has an application of the track in a status that can be at
 *   the MIIT stage (drafts and applications still with a city or province are skipped).
 *
 * Who gets which table (`may.export`): reviewers of the jurisdiction or above it, and operators
 * whose scope covers it. Checked once the campaign is known, before anything else is read.
 */
import { assertAllowed, may } from '../../platform/auth/policy.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { buildSummaryTable } from './exports.ts';
import { type SummaryScope, summaryScope, summaryTrack } from './scope.ts';
import type { SummaryTable } from './table.ts';
import type { Campaign } from '../../rules/campaign.ts';
import type { ApplicationStatus, Track } from '../../schemas/common.ts';
import type { SummaryReads } from '../../ports/operations.ts';
import type { PanelResult } from '../../ports/steps.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { CSV_CONTENT_TYPE, summaryCsv } from './csv.ts';
import { summaryXlsx, XLSX_CONTENT_TYPE } from './xlsx.ts';

/** The files `GET /v1/exports/{campaignId}/{file}` serves. */
export const SUMMARY_FILES = ['summary.xlsx', 'summary.csv'] as const;
export type SummaryFileName = (typeof SUMMARY_FILES)[number];

export interface ExportFile {
  fileName: string;
  contentType: string;
  /** Bytes for binary files (XLSX), text otherwise (CSV, with its BOM). */
  body: Buffer | string;
}

export interface SummaryRequest {
  campaignId: string;
  file: SummaryFileName;
  /** Whose table: a provincial-rank code, a city (where its province asks for them) or 000000. */
  jurisdiction: string;
  track?: Track;
}

/** Statuses an application can only have below the MIIT stage. */
const BELOW_MIIT: ReadonlySet<ApplicationStatus> = new Set(['DRAFT', 'SUBMITTED', 'CITY_REVIEW', 'PROVINCE_REVIEW']);
/** Provinces read at once for the national table. */
const PROVINCE_CONCURRENCY = 6;

export class SummaryExports {
  constructor(private readonly reads: SummaryReads) {}

  /**
   * @throws NotFoundError for an unknown campaign; ForbiddenError when the principal may not
   *   export the jurisdiction's table; ValidationError when no such table exists
   */
  async table(request: Omit<SummaryRequest, 'file'>, principal: Principal): Promise<SummaryTable> {
    const campaign = await this.reads.campaigns.get(request.campaignId);
    assertAllowed(may.export(principal, request.jurisdiction), 'export', principal);
    const scope = summaryScope(request.jurisdiction, campaign);
    const track = summaryTrack(campaign, request.track);
    const { applications, scored } = await this.read(campaign, track, scope);
    const panels = await this.panelsOf(scored);
    return buildSummaryTable({ campaign, track, scope, applications, scored, panels });
  }

  async file(request: SummaryRequest, principal: Principal): Promise<ExportFile> {
    const table = await this.table(request, principal);
    if (request.file === 'summary.csv') {
      return { fileName: `${table.fileBaseName}.csv`, contentType: CSV_CONTENT_TYPE, body: summaryCsv(table) };
    }
    return {
      fileName: `${table.fileBaseName}.xlsx`,
      contentType: XLSX_CONTENT_TYPE,
      body: await summaryXlsx(table, { generatedAt: this.reads.clock() }),
    };
  }

  private async read(campaign: Campaign, track: Track, scope: SummaryScope) {
    const provinces = scope.provincialCode
      ? [scope.provincialCode]
      : await this.provincesAtMiit(campaign.campaignId, track);
    const read = await mapLimit(provinces, PROVINCE_CONCURRENCY, async (code) => {
      const [applications, scored] = await Promise.all([
        this.reads.listings.applicationsOf(code, campaign.campaignId),
        this.reads.reviews.listScored(code, campaign.campaignId),
      ]);
      return { applications, scored };
    });
    return {
      applications: read.flatMap((r) => r.applications),
      scored: read.flatMap((r) => r.scored),
    };
  }

  /** The closed panels of expert-panel reviews (one Query each), by review id; none without the port. */
  private async panelsOf(scored: readonly ReviewRecord[]): Promise<Map<string, PanelResult>> {
    const panels = this.reads.panels;
    const out = new Map<string, PanelResult>();
    if (!panels) return out;
    const reviews = scored.filter((review) => review.step?.kind === 'expert-panel');
    const results = await mapLimit(reviews, PROVINCE_CONCURRENCY, (review) => panels.resultOf(review.reviewId));
    reviews.forEach((review, i) => {
      const result = results[i];
      if (result?.closed) out.set(review.reviewId, result);
    });
    return out;
  }

  private async provincesAtMiit(campaignId: string, track: Track): Promise<string[]> {
    const tallies = await this.reads.tallies.list(campaignId, 'province');
    const codes = new Set<string>();
    for (const tally of tallies) {
      if (tally.track !== track || tally.count <= 0 || BELOW_MIIT.has(tally.status)) continue;
      if (tally.provincialCode !== undefined) codes.add(tally.provincialCode);
    }
    return [...codes].sort();
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await map(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
