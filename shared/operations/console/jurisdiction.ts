/**
 * /console/jurisdiction?campaignId=…&code=…: a province, city or county. Its quotas with who
 * holds each slot, the places one level down (each linking further down), and its applications
 * (each linking to its timeline). Operators see it (`may.watch`); the reviewers' inbox is
 * theirs alone, so it is not linked from here.
 */
import * as z from 'zod';
import { STAGE_WORDS, STATUS_WORDS } from '../../platform/words.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import { DivisionCodeSchema, ENDED_STATUSES, TrackSchema } from '../../schemas/common.ts';
import type { JurisdictionDrillDown } from '../../schemas/ops.ts';
import {
  gauges,
  html,
  type PageAnswer,
  type PageContext,
  renderPage,
  scroll,
  statusCells,
  statusHeads,
} from '../../platform/pages/layout.ts';

export const JurisdictionQuerySchema = z.object({
  campaignId: z.string().min(1).max(64),
  code: DivisionCodeSchema,
  track: TrackSchema.optional(),
});

export type DrillDownReader = (
  code: string,
  query: { campaignId: string; track?: string },
) => Promise<JurisdictionDrillDown>;

export async function jurisdictionPage(
  ctx: PageContext,
  query: Record<string, string>,
  read: DrillDownReader,
): Promise<PageAnswer> {
  const q = parseOrThrow(JurisdictionQuerySchema, query, 'query');
  const view = await read(q.code, { campaignId: q.campaignId, ...(q.track && { track: q.track }) });
  return drillDown(ctx, view);
}

function drillDown(ctx: PageContext, view: JurisdictionDrillDown): PageAnswer {
  const { say } = ctx;
  const campaignId = view.campaign.campaignId;
  const here = view.jurisdiction;
  const crumbs = html`<a href="${ctx.link('board', { campaignId })}">${view.campaign.name}</a>${view.jurisdiction.chain
    .filter((step) => step.code !== here.code)
    .map(
      (step) => html` › <a href="${ctx.link('jurisdiction', { campaignId, code: step.code })}">${step.name}</a>`,
    )} › ${here.name}`;

  const head = html`<p class="note">${say('generatedAt')} ${ctx.when(view.generatedAt)} · <code>${here.code}</code> ·
${say('applications')} <strong data-total>${view.totals.total}</strong></p>`;

  const quotas = html`<section id="quotas"><h2>${say('quotas')}</h2>${gauges(ctx, view.quotas, { holders: true })}</section>`;

  const children = html`<section id="children"><h2>${say('below')}</h2>${
    view.children.length
      ? scroll(html`<table>
<thead><tr><th>${say('place')}</th><th class="n">${say('total')}</th>${statusHeads(say)}</tr></thead>
<tbody>${view.children.map(
          (c) =>
            html`<tr data-code="${c.code}"><td><a href="${ctx.link('jurisdiction', { campaignId, code: c.code })}">${c.name}</a></td><td class="n" data-total>${c.total}</td>${statusCells(c.byStatus)}</tr>`,
        )}
<tr data-code="total" class="total"><td>${say('total')}</td><td class="n" data-total>${view.totals.total}</td>${statusCells(view.totals.byStatus)}</tr></tbody></table>`)
      : html`<p class="note">${say('noneBelow')}</p>`
  }</section>`;

  const now = Date.parse(view.generatedAt);
  const applications = html`<section id="applications"><h2>${say('applications')} (${view.applications.length})</h2>${
    view.applications.length
      ? scroll(html`<table>
<thead><tr><th class="wrap">${say('cluster')}</th><th>${say('place')}</th><th>${say('status')}</th><th>${say('due')}</th><th>${say('updated')}</th></tr></thead>
<tbody>${view.applications.map((a) => {
          const late = a.status === 'OVERDUE' || (Date.parse(a.dueAt) < now && !ENDED_STATUSES.has(a.status));
          return html`<tr data-application="${a.applicationId}"${late ? html` class="late"` : ''}>
<td class="wrap"><a href="${ctx.link('application', { id: a.applicationId })}">${a.clusterName}</a></td><td>${a.place}</td>
<td>${say(STATUS_WORDS[a.status].console)}${a.stage ? html`<br><span class="note">${say(STAGE_WORDS[a.stage].title)}</span>` : ''}</td>
<td>${ctx.when(a.dueAt)}</td><td>${ctx.when(a.updatedAt)}</td></tr>`;
        })}</tbody></table>`)
      : html`<p class="note">${say('noApplications')}</p>`
  }</section>`;

  return renderPage(200, ctx, {
    title: `${here.name} · ${say('jurisdiction')}`,
    crumbs,
    body: html`${head}${quotas}${children}${applications}`,
  });
}
