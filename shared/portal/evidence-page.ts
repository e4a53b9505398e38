/**
 * /portal/evidence?id=…: the county's evidence, criterion by criterion, with the uploader
 * (evidence-panel.ts, uploader-script.ts): choose or drop files, checked and hashed in the browser,
 * posted straight to S3 through each file's presigned POST, verdicts live, replace and remove
 * while the application is editable.
 *
 * The evidence function serves this page, not the applications function that serves the other
 * portal pages: it alone presigns uploads, so it alone knows the bucket's origin that the page's
 * connect-src must allow (the browser posts the bytes there).
 */
import { html, type PageAnswer, type PageContext, renderPage } from '../platform/pages/layout.ts';
import type { Campaign } from '../rules/campaign.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import type { ApplicationDetail } from './deps.ts';
import { EVIDENCE_PANEL_STYLE, evidencePanel, panelItems } from './evidence-panel.ts';
import { flash, lateSection, openToCounty, PORTAL_STYLE } from './parts.ts';
import { UPLOADER_SCRIPT } from './uploader-script.ts';

const EVIDENCE_PAGE_STYLE = PORTAL_STYLE + EVIDENCE_PANEL_STYLE;

export function evidencePage(
  ctx: PageContext,
  query: Record<string, string>,
  application: ApplicationDetail,
  campaign: Campaign,
  now: Date,
  uploadOrigin: string,
): PageAnswer {
  const { say } = ctx;
  const id = application.applicationId;
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const base = `/portal/applications/${id}/evidence`;
  const panel = evidencePanel({
    lang: ctx.lang,
    applicationId: id,
    items: panelItems(rules.checklist, application.evidence, now),
    uploader: 'county',
    // Past the deadline an upload would only be refused (UPLOAD_AFTER_DEADLINE): none is offered.
    editable: openToCounty(application, now),
    deadline: application.dueAt,
    urls: { request: base, list: base, remove: `${base}/{evidenceId}` },
  });
  const body = html`${flash(ctx, query)}
${lateSection(ctx, application, now)}
${panel}
<p class="actions noprint"><a class="button secondary" href="${ctx.link('application', { id })}">${say('backToApplication')}</a></p>`;
  return renderPage(200, ctx, {
    title: `${application.clusterName} · ${say('evidence')}`,
    crumbs: html`<a href="${ctx.link('')}">${say('portalHome')}</a> › <a href="${ctx.link('application', { id })}">${application.clusterName}</a>`,
    body,
    refresh: false,
    style: EVIDENCE_PAGE_STYLE,
    scripts: [UPLOADER_SCRIPT],
    connectSources: [uploadOrigin],
  });
}
