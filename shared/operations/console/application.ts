/**
 * /console/application?id=…: an application's timeline from its audit trail — when (Beijing
 * time), what, who and in which role, for which jurisdiction, the status change, the reason and
 * the request that did it.
 */
import * as z from 'zod';
import { parseOrThrow } from '../../platform/parse.ts';
import type { History } from '../../schemas/ops.ts';
import { STATUS_WORDS } from '../../platform/words.ts';
import { html, type PageAnswer, type PageContext, renderPage } from '../../platform/pages/layout.ts';
import { timelineTable } from '../../platform/pages/timeline.ts';

export const ApplicationQuerySchema = z.object({ id: z.uuid() });

export type HistoryReader = (applicationId: string) => Promise<History>;

export async function applicationPage(
  ctx: PageContext,
  query: Record<string, string>,
  read: HistoryReader,
): Promise<PageAnswer> {
  const { id } = parseOrThrow(ApplicationQuerySchema, query, 'query');
  return timeline(ctx, await read(id.toLowerCase()));
}

function timeline(ctx: PageContext, history: History): PageAnswer {
  const { say } = ctx;
  const body = html`<p class="note"><code>${history.applicationId}</code> · ${say('status')} <strong data-status="${history.status}">${say(STATUS_WORDS[history.status].console)}</strong></p>
<section id="timeline"><h2>${say('timeline')} (${history.events.length})</h2>${
    history.events.length
      ? timelineTable(say, history.events, { requestIds: true, actorIds: true, lang: ctx.lang, track: history.track })
      : html`<p class="note">${say('noEvents')}</p>`
  }</section>`;
  return renderPage(200, ctx, {
    title: `${history.clusterName} · ${say('timeline')}`,
    crumbs: html`<a href="${ctx.link('board')}">${say('backToBoard')}</a>`,
    body,
  });
}
