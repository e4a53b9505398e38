import { DynamoListings } from '../adapters/dynamo-listings.ts';
import { DynamoPanels } from '../adapters/dynamo-panel.ts';
import { DynamoReviews } from '../adapters/dynamo-reviews/store.ts';
import { DynamoTallies } from '../adapters/dynamo-tallies.ts';
import { SummaryExports } from '../operations/exports/summary.ts';
import { campaignCatalog, tableAccess } from './core.ts';
import { systemClock } from './clock.ts';
import { type Env, readEnv } from './env.ts';

// Apart from the ops and sweeper wiring: the summary tables bring the workbook writer (exceljs),
// which loads with side effects and so would stay in any bundle that imports this module.

/** The exports function: summary tables, from queries on the table and its indexes (never a Scan). */
export function wireExports(env: Env = readEnv()) {
  const table = tableAccess(env);
  const { documents, table: name } = table;
  return {
    summaries: new SummaryExports({
      campaigns: campaignCatalog(table),
      listings: new DynamoListings(documents, name),
      reviews: new DynamoReviews(documents, name),
      tallies: new DynamoTallies(documents, name),
      panels: new DynamoPanels(documents, name),
      clock: systemClock,
    }),
  };
}
