/**
 * An application's timeline from its audit trail, as the console's application page and the
 * applicants' portal both show it: when (Beijing time), what, who and in which role, for which
 * jurisdiction, the status change, and the reason with the event's detail. The console adds the
 * request that did it; the portal leaves that out. Who may see the reviewers' addresses is decided
 * before the trail gets here (shared/intake/trail.ts): the county's trail comes masked.
 */
import { placeName } from '../../rules/jurisdictions.ts';
import type { Bilingual, Track } from '../../schemas/common.ts';
import type { ActorRole, AuditEvent } from '../../schemas/records.ts';
import { beijingStamp } from '../time.ts';
import { STATUS_WORDS } from '../words.ts';
import { html, type SafeHtml } from './html.ts';
import { ACTION_TITLES, type Lang, MIIT_DECISION_TITLES, oneLanguage, ROLE_TITLES, type Say } from './i18n.ts';
import { bracketed } from './punctuation.ts';

export interface TimelineOptions {
  /** Show each event's request id (the console's operators trace requests with it). */
  requestIds?: boolean;
  /** Show the event's detail beside its reason (the console); default true. */
  details?: boolean;
  /**
   * Show a named person's stable id beside their name (the console). The operators search the
   * trail and the traces by the id and talk to people by the name, so they get both. The county
   * gets the name only: the id (a token subject, in AWS a UUID) tells it nothing.
   */
  actorIds?: boolean;
  /**
   * The page's language: the code's brackets, and the half of a reason written in both
   * (`逾期不予受理：… / Not accepted: …`) that is shown. Chinese when not given.
   */
  lang?: Lang;
  /** The application's track: MIIT's decisions are named as MIIT means them on it (入选 for a typical case). */
  track?: Track;
}

export function jurisdictionCell(code: string | undefined, lang: Lang = 'zh'): string {
  if (code === undefined) return '';
  const name = placeName(code);
  return name ? `${name}${bracketed(lang, code)}` : code;
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

/** Roles that are the pipeline itself, not a person: their actor is a program's name. */
const SYSTEM_ROLES: ReadonlySet<ActorRole> = new Set(['workflow', 'validator', 'scheduler']);

type Actor = Pick<AuditEvent, 'actor' | 'role'>;

/** One of the pipeline's own steps (its actor is the program's name the trail keeps for tracing). */
const isPipeline = (event: Actor): boolean => event.role !== undefined && SYSTEM_ROLES.has(event.role);

/** The public as a whole (an objection filed during the notice without signing in), not a person. */
const isThePublic = (event: Actor): boolean => event.role === 'public' && event.actor === 'public';

/**
 * Who did it, as a reader names them: a person's name or address as the trail gives it; the
 * pipeline's own steps as "系统" (the role column says which), and the public as the public, not
 * the program names (`review-workflow`, `validator`) the trail keeps for tracing.
 */
function actorText(say: Say, event: Actor): string {
  if (isPipeline(event)) return say('systemActor');
  if (isThePublic(event)) return say(ROLE_TITLES.public);
  return event.actor;
}

/**
 * The actor's cell. A person with a display name is shown by it: on the console with the stable id
 * beside it (`张三（reviewer-222400）`, the id in `data-actor` too), on the portal by the name alone.
 * An event without a name (written before names were recorded, a link holder's, the pipeline's) is
 * drawn by its actor as before. The name is free text from a token: `html` escapes it.
 */
function actorCell(say: Say, event: AuditEvent, actorIds: boolean): SafeHtml {
  const name = isPipeline(event) ? undefined : event.actorName;
  // On the portal, a signed-in person without a name is a token subject (in AWS a UUID), which
  // tells the county nothing: it is said to have no name on record. A review link's holders are
  // their (masked) addresses, which do say something, and stay.
  if (name === undefined && !actorIds && isSubject(event)) return html`<td>${say('nameNotRecorded')}</td>`;
  if (name === undefined) return html`<td data-actor="${event.actor}">${actorText(say, event)}</td>`;
  return actorIds
    ? html`<td data-actor="${event.actor}">${name}（<code>${event.actor}</code>）</td>`
    : html`<td>${name}</td>`;
}

/** A signed-in person's stable id, not the pipeline, the public, or the addresses a link went to. */
function isSubject(event: Actor): boolean {
  return event.role !== undefined && !isPipeline(event) && !isThePublic(event) && !event.actor.includes('@');
}

/** What happened: MIIT's decisions in its own words on the track, every other event by its action. */
function actionTitle(event: Pick<AuditEvent, 'action' | 'detail'>, track: Track | undefined): Bilingual {
  const decision =
    event.action === 'REVIEW_APPROVED' ? 'approve' : event.action === 'REVIEW_REJECTED' ? 'reject' : undefined;
  if (decision && track && event.detail?.['stage'] === 'miit') return MIIT_DECISION_TITLES[track][decision];
  return ACTION_TITLES[event.action];
}

/** "草稿 → 已提交", or '' when the event changed no status. */
export function statusChange(say: Say, event: Pick<AuditEvent, 'fromStatus' | 'toStatus'>): string {
  if (!event.fromStatus && !event.toStatus) return '';
  const word = (status: AuditEvent['toStatus']) => (status ? say(STATUS_WORDS[status].console) : '—');
  return `${word(event.fromStatus)} → ${word(event.toStatus)}`;
}

/** The timeline's table, oldest event first as given. */
export function timelineTable(say: Say, events: readonly AuditEvent[], options: TimelineOptions = {}): SafeHtml {
  const { requestIds = false, details = true, actorIds = false, lang = 'zh', track } = options;
  const rows = events.map(
    (event) => html`<tr data-action="${event.action}">
<td><time datetime="${event.at}">${beijingStamp(event.at)}</time></td><td>${say(actionTitle(event, track))}</td>
${actorCell(say, event, actorIds)}<td>${event.role ? say(ROLE_TITLES[event.role]) : ''}</td>
<td>${jurisdictionCell(event.jurisdiction, lang)}</td><td>${statusChange(say, event)}</td>
<td class="detail">${event.reason ? html`<div class="reason">${oneLanguage(lang, event.reason)}</div>` : ''}${details ? detailCell(event.detail) : ''}</td>${
      requestIds ? html`<td><code>${event.requestId ?? ''}</code></td>` : ''
    }</tr>`,
  );
  // Focusable, so a keyboard can scroll it sideways on a phone.
  return html`<div class="scroll" tabindex="0" role="region" aria-label="${say('timeline')}"><table><thead><tr><th>${say('timeBeijing')}</th><th>${say('action')}</th><th>${say('actor')}</th><th>${say('role')}</th>
<th>${say('jurisdiction')}</th><th>${say('fromTo')}</th><th>${say('reasonDetail')}</th>${
    requestIds ? html`<th>${say('requestId')}</th>` : ''
  }</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}
