/**
 * The evidence uploader a page embeds: the checklist, item by item (required or optional, the
 * accepted types and size, who uploads it) with each item's files and their validation, and where
 * the page's own user may, a file chooser that also takes dropped files. The constant script in
 * uploader-script.ts does the rest in the browser (checks, SHA-256, presigned POST, progress,
 * live verdicts, replace and remove); without script the panel still shows where everything
 * stands. Everything the script needs is in data-* attributes; every value goes through `html`.
 *
 * The host page must: include EVIDENCE_PANEL_STYLE in its stylesheet and UPLOADER_SCRIPT among
 * its scripts, and allow connect-src to `uploadOrigin` (the bucket's, where the browser posts the
 * bytes) besides 'self'.
 */
import { html, type SafeHtml } from '../platform/pages/html.ts';
import type { Lang } from '../platform/pages/i18n.ts';
import { beijingTime } from '../platform/time.ts';
import type { ChecklistItem } from '../rules/checklist.ts';
import { type FileType, MIME_BY_FILE_TYPE } from '../schemas/common.ts';
import type { EvidenceRecord } from '../schemas/records.ts';
import { fileSize, UPLOADER_WORDS, type UploaderWord, uploaderWords } from './uploader-words.ts';

/** The file-name endings each type takes (the server's rule too: shared/intake/evidence.ts). */
const EXTENSIONS: Record<FileType, readonly string[]> = {
  pdf: ['.pdf'],
  ofd: ['.ofd'],
  jpeg: ['.jpg', '.jpeg'],
  png: ['.png'],
  xlsx: ['.xlsx'],
  docx: ['.docx'],
};

/** One file of an item, as the panel shows it. */
export type PanelFile = Pick<
  EvidenceRecord,
  'evidenceId' | 'fileName' | 'status' | 'findings' | 'declaredSize' | 'size' | 'uploadExpiresAt'
>;

/** One checklist item with its current files. */
export interface PanelItem extends Pick<
  ChecklistItem,
  'id' | 'title' | 'required' | 'fileTypes' | 'maxBytes' | 'maxFiles' | 'uploadedBy'
> {
  files: readonly PanelFile[];
}

export interface EvidencePanelArgs {
  lang: Lang;
  applicationId: string;
  items: readonly PanelItem[];
  /** Who uses this page: the items they upload get a chooser, the others are shown only. */
  uploader: ChecklistItem['uploadedBy'];
  /** Whether the uploader may change their items now (the application's status allows it). */
  editable: boolean;
  /**
   * Where the script goes, same-site paths with their credentials (a review link's `t`) already in:
   * `request` (POST: ask for a presigned POST), `list` (GET: the evidence items) and `remove`
   * (DELETE, with `{evidenceId}` in it; absent: files cannot be removed here).
   */
  urls: { request: string; list: string; remove?: string };
  /** The heading's level inside the page (default 2). */
  headingLevel?: 2 | 3;
  /**
   * The uploader's deadline, where the page has one (the county's): an upload that fails after it
   * says 逾期不予受理 and offers no retry or replacement (each would only be refused), however
   * long the page had been open.
   */
  deadline?: string;
}

/**
 * The items of a checklist with the evidence on record for each, in the checklist's order. An
 * upload request whose link expired with no file is left out: it was abandoned (the checklist
 * ignores it too), and nothing will ever check it.
 */
export function panelItems(
  checklist: readonly ChecklistItem[],
  evidence: readonly EvidenceRecord[],
  now: Date,
): PanelItem[] {
  const live = evidence.filter((e) => e.status !== 'PENDING' || Date.parse(e.uploadExpiresAt) > now.getTime());
  return checklist.map((item) => ({
    id: item.id,
    title: item.title,
    required: item.required,
    fileTypes: item.fileTypes,
    maxBytes: item.maxBytes,
    maxFiles: item.maxFiles,
    uploadedBy: item.uploadedBy,
    files: live.filter((e) => e.criterion === item.id),
  }));
}

/** What the script needs of an item's types: endings, the media type to declare, the type's name. */
const typesOf = (item: PanelItem) =>
  item.fileTypes.map((type) => ({ type, ext: EXTENSIONS[type], mime: MIME_BY_FILE_TYPE[type] }));

const typeNames = (item: PanelItem) => item.fileTypes.map((type) => type.toUpperCase()).join(' / ');

/**
 * An item's "no file yet" note: always there, hidden while it has files, because the uploader's
 * script shows it again when the last one is removed (the level's documents page uses it too).
 */
export const noFilesNote = (say: (word: UploaderWord) => string, files: number): SafeHtml =>
  html`<p class="note ev-none"${files === 0 ? '' : html` hidden`}>${say('noFiles')}</p>`;

/** A file and its verdict; the script adds its buttons (Retry, Replace, Remove) where they apply. */
function fileRow(lang: Lang, say: (word: UploaderWord) => string, file: PanelFile): SafeHtml {
  const size = file.size ?? file.declaredSize;
  const reasons = file.status === 'INVALID' ? file.findings.map((f) => f.message[lang]) : [];
  return html`<li class="ev-file" data-evidence-id="${file.evidenceId}" data-status="${file.status}">
<span class="ev-name">${file.fileName}</span> <span class="note">${fileSize(size)}</span>
<span class="ev-state ev-${file.status.toLowerCase()}">${say(file.status)}</span>
<ul class="ev-reasons">${reasons.map((reason) => html`<li>${reason}</li>`)}</ul><span class="ev-actions"></span></li>`;
}

function itemBlock(args: EvidencePanelArgs, item: PanelItem, say: (word: UploaderWord) => string): SafeHtml {
  const mine = item.uploadedBy === args.uploader;
  const changeable = mine && args.editable;
  const inputId = `ev-input-${item.id}`;
  const accept = typesOf(item)
    .flatMap((t) => [...t.ext, t.mime])
    .join(',');
  const facts = [
    say(item.required ? 'required' : 'optional'),
    `${say('types')} ${typeNames(item)}`,
    `${say('maxSize')} ${fileSize(item.maxBytes)}`,
    `${say('maxFiles')} ${item.maxFiles}`,
    say(item.uploadedBy === 'city' ? 'byCity' : 'byCounty'),
  ];
  return html`<li class="ev-item" data-criterion="${item.id}" data-types="${JSON.stringify(typesOf(item))}" data-type-names="${typeNames(item)}" data-max-bytes="${item.maxBytes}" data-max-files="${item.maxFiles}" data-changeable="${changeable}">
<h3 class="ev-title">${item.title[args.lang]}${item.required ? html` <span class="ev-req" aria-hidden="true">*</span>` : ''}</h3>
<p class="note ev-facts">${facts.join(' · ')}</p>
<ul class="ev-files">${item.files.map((file) => fileRow(args.lang, say, file))}</ul>
${noFilesNote(say, item.files.length)}
${
  changeable
    ? html`<div class="ev-drop"><label for="${inputId}" class="ev-choose">${say('choose')}</label> <span class="note">${say('dropHint')}</span>
<input id="${inputId}" class="ev-input" type="file" multiple accept="${accept}"></div>`
    : html`<p class="note">${say(mine ? 'locked' : 'notYours')}</p>`
}
<p class="ev-refusal bad" role="alert" hidden></p>
</li>`;
}

/** The panel: one section, one list item per checklist item. */
export function evidencePanel(args: EvidencePanelArgs): SafeHtml {
  const say = (word: UploaderWord) => UPLOADER_WORDS[word][args.lang];
  const heading = html`${say('heading')}`;
  return html`<section class="evidence-panel" data-evidence-panel data-application-id="${args.applicationId}" data-lang="${args.lang}" data-request-url="${args.urls.request}" data-list-url="${args.urls.list}" data-remove-url="${args.urls.remove ?? ''}" data-words="${JSON.stringify(uploaderWords(args.lang))}"${
    args.deadline
      ? html` data-deadline="${args.deadline}" data-deadline-text="${beijingTime(args.deadline)[args.lang]}"`
      : ''
  }>
${args.headingLevel === 3 ? html`<h3>${heading}</h3>` : html`<h2>${heading}</h2>`}
<ul class="ev-items">${args.items.map((item) => itemBlock(args, item, say))}</ul>
</section>`;
}

/** The panel's CSS: the host page adds it to its own stylesheet (a constant, never built from input). */
export const EVIDENCE_PANEL_STYLE = `
.ev-items,.ev-files,.ev-reasons{list-style:none;margin:0;padding:0}
.ev-item{border-top:1px solid #e6e6e6;padding:.6rem 0}
.ev-title{margin:0 0 .2rem;font-size:1rem}
.ev-req{color:#8a1c1c}
.ev-facts{margin:0 0 .3rem}
.ev-file{padding:.35rem 0;border-top:1px dashed #eee;overflow-wrap:anywhere}
.ev-name{font-weight:600}
.ev-state{display:inline-block;margin-left:.3rem;padding:0 .4rem;border-radius:.3rem;font-size:.85em;background:#eee;color:#333}
.ev-state.ev-valid{background:#e6f4ea;color:#1b5e20}
.ev-state.ev-invalid,.ev-state.ev-failed{background:#fdf1f1;color:#8a1c1c}
.ev-reasons li{color:#8a1c1c;font-size:.9em;margin:.2rem 0}
.ev-actions button,.ev-retry{margin:.3rem .4rem 0 0;padding:.3rem .7rem;font-size:.9em;width:auto}
.ev-remove{background:#555}
.ev-drop{position:relative;border:2px dashed #bbb;border-radius:.5rem;padding:.6rem;margin:.4rem 0;text-align:center}
.ev-drop.ev-over{border-color:#8a1c1c;background:#fdf1f1}
.ev-choose{display:inline-block;padding:.4rem .8rem;border-radius:.4rem;background:#8a1c1c;color:#fff;font-weight:600;cursor:pointer;margin:0}
/* One control chooses files: the label, drawn as a button. The browser's own input would be a
   second one beside it, in the browser's language ("Choose Files · No file chosen"); it stays
   in the page, focusable and named by the label, only out of sight, its focus shown on the label. */
.ev-input{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.ev-drop:focus-within .ev-choose{outline:3px solid #1b1b1b;outline-offset:2px}
.ev-file progress{display:block;width:100%;height:.8rem;margin-top:.25rem}
.ev-refusal{margin:.3rem 0;font-size:.9em;color:#8a1c1c}
`;
