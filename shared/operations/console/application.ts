/**
 * /console/application?id=…: an application's timeline from its audit trail — when (Beijing
 * time), what, who and in which role, for which jurisdiction, the status change, the reason and
 * the request that did it.
 */
import * as z from 'zod';
import { parseOrThrow } from '../../platform/parse.ts';
import { placeName } from '../../rules/jurisdictions.ts';
import type { History } from '../../schemas/ops.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import { ACTION_TITLES, ROLE_TITLES } from '../../platform/pages/i18n.ts';
import { STATUS_WORDS } from '../../platform/words.ts';
import {
  html,
  type PageAnswer,
  type PageContext,
  renderPage,
  type SafeHtml,
  scroll,
} from '../../platform/pages/layout.ts';
import { beijingStamp } from '../../platform/time.ts';

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

function jurisdictionCell(code: string | undefined): string {
  if (code === undefined) return '';
  const name = placeName(code);
  return name ? `${name}（${code}）` : code;
}

/** The event's detail as `key: value` lines (values that are not text as compact JSON). */
function detailCell(detail: AuditEvent['detail']): SafeHtml | string {
  if (!detail || Object.keys(detail).length === 0) return '';
  const line = ([key, value]: [string, unknown]) => {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    return html`<div class="note">${key}: <code>${text.length > 200 ? `${text.slice(0, 200)}…` : text}</code></div>`;
  };
  return html`${Object.entries(detail).map(line)}`;
}

function timeline(ctx: PageContext, history: History): PageAnswer {
  const { say } = ctx;
  const rows = history.events.map((event) => {
    const change =
      event.fromStatus || event.toStatus
        ? `${event.fromStatus ? say(STATUS_WORDS[event.fromStatus].console) : '—'} → ${event.toStatus ? say(STATUS_WORDS[event.toStatus].console) : '—'}`
        : '';
    return html`<tr data-action="${event.action}">
<td><time datetime="${event.at}">${beijingStamp(event.at)}</time></td><td>${say(ACTION_TITLES[event.action])}</td>
<td>${event.actor}</td><td>${event.role ? say(ROLE_TITLES[event.role]) : ''}</td>
<td>${jurisdictionCell(event.jurisdiction)}</td><td>${change}</td>
<td class="detail">${event.reason ? html`<div>${event.reason}</div>` : ''}${detailCell(event.detail)}</td><td><code>${event.requestId ?? ''}</code></td></tr>`;
  });
  const body = html`<p class="note"><code>${history.applicationId}</code> · ${say('status')} <strong data-status="${history.status}">${say(STATUS_WORDS[history.status].console)}</strong></p>
<section id="timeline"><h2>${say('timeline')} (${history.events.length})</h2>${
    history.events.length
      ? scroll(html`<table><thead><tr><th>${say('timeBeijing')}</th><th>${say('action')}</th><th>${say('actor')}</th><th>${say('role')}</th>
<th>${say('jurisdiction')}</th><th>${say('fromTo')}</th><th>${say('reasonDetail')}</th><th>${say('requestId')}</th></tr></thead>
<tbody>${rows}</tbody></table>`)
      : html`<p class="note">${say('noEvents')}</p>`
  }</section>`;
  return renderPage(200, ctx, {
    title: `${history.clusterName} · ${say('timeline')}`,
    crumbs: html`<a href="${ctx.link('board')}">${say('backToBoard')}</a>`,
    body,
  });
}
