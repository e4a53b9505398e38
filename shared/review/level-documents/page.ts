/**
 * /console/level-documents: the signed-in level's own documents for one campaign and track, what
 * each of its waiting steps needs, and the uploader (the evidence uploader's script and styles,
 * shared/portal/uploader-script.ts, driven by this page's own panel: one item per kind the level
 * files). Chinese by default, English with ?lang=en; phone-sized screens too.
 */
import * as z from 'zod';
import type { Principal } from '../../platform/auth/principal.ts';
import { DomainError } from '../../platform/errors.ts';
import { oneLanguage, LEVEL_DOCUMENT_WORDS as W } from '../../platform/pages/i18n.ts';
import {
  html,
  type PageAnswer,
  type PageContext,
  problemPage,
  renderPage,
  type SafeHtml,
  scroll,
} from '../../platform/pages/layout.ts';
import { parseOrThrow } from '../../platform/parse.ts';
import { TRACK_WORDS } from '../../platform/words.ts';
import { EVIDENCE_PANEL_STYLE, noFilesNote } from '../../portal/evidence-panel.ts';
import { UPLOADER_SCRIPT } from '../../portal/uploader-script.ts';
import { fileSize, UPLOADER_WORDS, type UploaderWord, uploaderWords } from '../../portal/uploader-words.ts';
import { LEVEL_DOCUMENT_KINDS, type LevelDocumentKind } from '../../ports/steps.ts';
import { placeName } from '../../rules/jurisdictions.ts';
import { STEP_TITLES } from '../../rules/steps.ts';
import { type FileType, MIME_BY_FILE_TYPE, TrackSchema } from '../../schemas/common.ts';
import type { WaitingStep } from './desk.ts';
import {
  askedByNotice,
  filedOnTrack,
  filingLevelOf,
  LEVEL_DOCUMENT_RULES,
  type LevelDocumentRecord,
} from './records.ts';

/** The console page's path, and the uploader's JSON routes beside it (the session cookie). */
export const LEVEL_DOCUMENTS_PAGE = 'level-documents';
export const LEVEL_DOCUMENTS_FILES_PATH = '/console/level-documents/files';

export const LevelDocumentsPageQuerySchema = z.object({
  campaignId: z.string().min(1).max(64).optional(),
  track: TrackSchema.optional(),
});

export interface LevelDocumentsPageData {
  principal: Principal;
  /** The campaigns to choose from, and the tracks each runs. */
  campaigns: { campaignId: string; title: string; tracks: string[] }[];
  /** Present once a campaign and track are chosen. */
  chosen?: {
    campaignId: string;
    track: z.infer<typeof TrackSchema>;
    documents: LevelDocumentRecord[];
    waiting: WaitingStep[];
    /** The campaign's overlay for the level's province: which documents its notice adds. */
    overlay?: { milestones: readonly { id: string }[] };
  };
  /** The bucket's origin (the uploader posts the bytes there). */
  uploadOrigin: string;
}

const EXTENSIONS: Record<FileType, readonly string[]> = {
  pdf: ['.pdf'],
  ofd: ['.ofd'],
  jpeg: ['.jpg', '.jpeg'],
  png: ['.png'],
  xlsx: ['.xlsx'],
  docx: ['.docx'],
};

const kindTitle = (ctx: PageContext, kind: LevelDocumentKind) => ctx.say(LEVEL_DOCUMENT_RULES[kind].title);

function fileRow(ctx: PageContext, say: (w: UploaderWord) => string, document: LevelDocumentRecord): SafeHtml {
  const reasons = document.status === 'INVALID' ? document.findings.map((f) => f.message[ctx.lang]) : [];
  const table = document.summaryTable;
  return html`<li class="ev-file" data-evidence-id="${document.documentId}" data-status="${document.status}">
<span class="ev-name">${document.fileName}</span> <span class="note">${fileSize(document.size ?? document.declaredSize)}</span>
<span class="ev-state ev-${document.status.toLowerCase()}">${say(document.status)}</span>
${document.sha256 ? html`<br><code class="note">SHA-256 ${document.sha256}</code>` : ''}
${table ? html`<br><span class="note">${ctx.say(W.summaryTable)}: ${table.fileName} · <code>${table.sha256}</code></span>` : ''}
<ul class="ev-reasons">${reasons.map((reason) => html`<li>${reason}</li>`)}</ul><span class="ev-actions"></span></li>`;
}

type Chosen = NonNullable<LevelDocumentsPageData['chosen']>;

/** The kinds this level files on the chosen campaign and track: by its level, the track and its notice. */
function offeredKinds(data: LevelDocumentsPageData, chosen: Chosen): LevelDocumentKind[] {
  const level = filingLevelOf(data.principal.jurisdiction);
  return LEVEL_DOCUMENT_KINDS.filter(
    (kind) =>
      level !== undefined &&
      LEVEL_DOCUMENT_RULES[kind].levels.includes(level) &&
      filedOnTrack(kind, chosen.track) &&
      askedByNotice(kind, chosen.overlay),
  );
}

/**
 * What the page is for, said of this level: before a campaign and track are chosen, that what it
 * files depends on them; after, the kinds it files there (those its panel offers), by name. Jilin's
 * 10 April candidate list is named only where the notice asks for it, the cultivation measures
 * only on the typical-case track.
 */
function intro(ctx: PageContext, data: LevelDocumentsPageData): SafeHtml {
  const chosen = data.chosen;
  if (!chosen) return html`<p class="note" id="intro">${ctx.say(W.intro)}</p>`;
  const kinds = offeredKinds(data, chosen);
  if (kinds.length === 0) return html`<p class="note" id="intro">${ctx.say(W.introNone)}</p>`;
  const names = kinds.map((kind) => kindTitle(ctx, kind)).join(ctx.lang === 'en' ? '; ' : '、');
  return html`<p class="note" id="intro">${ctx.say(W.introFiles)}${names}${ctx.lang === 'en' ? '.' : '。'} ${ctx.say(W.introChecked)}</p>`;
}

/** The uploader's panel: one item per kind this level files, with the level's files of that kind. */
function panel(ctx: PageContext, data: LevelDocumentsPageData, chosen: Chosen) {
  const say = (word: UploaderWord) => UPLOADER_WORDS[word][ctx.lang];
  const query = new URLSearchParams({ campaignId: chosen.campaignId, track: chosen.track }).toString();
  const url = `${LEVEL_DOCUMENTS_FILES_PATH}?${query}`;
  const items = offeredKinds(data, chosen).map((kind) => {
    const rule = LEVEL_DOCUMENT_RULES[kind];
    const files = chosen.documents.filter((d) => d.kind === kind);
    const types = rule.fileTypes.map((type) => ({ type, ext: EXTENSIONS[type], mime: MIME_BY_FILE_TYPE[type] }));
    const typeNames = rule.fileTypes.map((t) => t.toUpperCase()).join(' / ');
    const accept = types.flatMap((t) => [...t.ext, t.mime]).join(',');
    const inputId = `ev-input-${kind}`;
    const facts = [
      `${say('types')} ${typeNames}`,
      `${say('maxSize')} ${fileSize(rule.maxBytes)}`,
      `${say('maxFiles')} ${rule.maxFiles}`,
      ctx.say(W.byLevel),
    ];
    return html`<li class="ev-item" data-criterion="${kind}" data-types="${JSON.stringify(types)}" data-type-names="${typeNames}" data-max-bytes="${rule.maxBytes}" data-max-files="${rule.maxFiles}" data-changeable="true">
<h3 class="ev-title">${kindTitle(ctx, kind)}</h3>
<p class="note ev-facts">${facts.join(' · ')}</p>
<ul class="ev-files">${files.map((file) => fileRow(ctx, say, file))}</ul>
${noFilesNote(say, files.length)}
<div class="ev-drop"><label for="${inputId}" class="ev-choose">${say('choose')}</label> <span class="note">${say('dropHint')}</span>
<input id="${inputId}" class="ev-input" type="file" multiple accept="${accept}"></div>
<p class="ev-refusal bad" role="alert" hidden></p>
</li>`;
  });
  return html`<section class="evidence-panel" id="documents" data-evidence-panel data-lang="${ctx.lang}" data-request-url="${url}" data-list-url="${url}" data-remove-url="" data-words="${JSON.stringify(uploaderWords(ctx.lang))}">
<h2>${ctx.say(W.documents)}</h2>
<ul class="ev-items">${items}</ul>
</section>`;
}

function waitingSection(ctx: PageContext, waiting: readonly WaitingStep[]): SafeHtml {
  const rows = waiting.map(
    (w) => html`<tr data-review="${w.review.reviewId}"><td class="wrap">${w.review.clusterName}</td>
<td>${w.review.step ? ctx.say(STEP_TITLES[w.review.step.kind]) : ''}</td>
<td class="wrap">${w.needs.map((kind) => kindTitle(ctx, kind)).join('、')}</td>
<td>${w.met ? html`<span class="ok">${ctx.say(W.met)}</span>` : html`<strong class="late">${ctx.say(W.missing)}</strong>`}${
      // Filed, and still waiting: a full quota refuses what the letter would complete (the review page's words).
      w.quotaFull === undefined
        ? ''
        : html`<br><strong class="late" data-quota-full>${oneLanguage(ctx.lang, w.quotaFull)}</strong>`
    }</td>
<td>${ctx.when(w.review.deadline)}</td></tr>`,
  );
  return html`<section id="waiting"><h2>${ctx.say(W.waiting)} (${waiting.length})</h2>${
    waiting.length
      ? scroll(
          html`<table><thead><tr><th class="wrap">${ctx.say('cluster')}</th><th>${ctx.say(W.step)}</th><th class="wrap">${ctx.say(W.needs)}</th><th></th><th>${ctx.say('due')}</th></tr></thead><tbody>${rows}</tbody></table>`,
        )
      : html`<p class="ok">${ctx.say(W.noneWaiting)}</p>`
  }</section>`;
}

function chooser(ctx: PageContext, data: LevelDocumentsPageData): SafeHtml {
  const links = data.campaigns.flatMap((campaign) =>
    campaign.tracks.map((track) => {
      const current = data.chosen?.campaignId === campaign.campaignId && data.chosen.track === track;
      const words = TRACK_WORDS[track as z.infer<typeof TrackSchema>];
      return html`<li><a href="${ctx.link(LEVEL_DOCUMENTS_PAGE, { campaignId: campaign.campaignId, track })}"${current ? html` aria-current="page"` : ''}>${campaign.title} · ${words ? ctx.say(words.title) : track}</a></li>`;
    }),
  );
  return html`<nav aria-label="${ctx.say(W.campaign)}"><p class="note">${ctx.say(W.chooseCampaign)}</p><ul class="plain">${links}</ul></nav>`;
}

export function levelDocumentsPage(ctx: PageContext, data: LevelDocumentsPageData): PageAnswer {
  const place = placeName(data.principal.jurisdiction) ?? data.principal.jurisdiction;
  const chosen = data.chosen;
  const body = html`${intro(ctx, data)}
<p class="note">${place} <code>${data.principal.jurisdiction}</code></p>
<section id="choose">${chooser(ctx, data)}</section>
${chosen ? html`${waitingSection(ctx, chosen.waiting)}${panel(ctx, data, chosen)}` : ''}`;
  return renderPage(200, ctx, {
    title: `${ctx.say(W.title)} · ${place}`,
    crumbs: html`<a href="${ctx.link('inbox')}">${ctx.say('inbox')}</a>`,
    body,
    refresh: false,
    style: EVIDENCE_PANEL_STYLE,
    scripts: [UPLOADER_SCRIPT],
    connectSources: [data.uploadOrigin],
  });
}

/** The page, or the refusal as a page (a domain error keeps its status and details). */
export async function answeringPage(ctx: PageContext, render: () => Promise<PageAnswer>): Promise<PageAnswer> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = (error.details ?? []).map((d) => ({ field: d.field, message: d.message }));
    const title = error.status === 403 ? 'forbidden' : error.status === 404 ? 'notFound' : 'badRequest';
    return problemPage(error.status, ctx, title, error.message, details);
  }
}

export const parsePageQuery = (query: Record<string, string>) =>
  parseOrThrow(LevelDocumentsPageQuerySchema, query, 'query');
