/**
 * The application form, created and edited as plain HTML forms (no script needed):
 *
 *   GET  /portal/new?campaignId=…                a draft's first page: campaign, track, the basics
 *   POST /portal/applications                    creates it (the API's create) → 303 to its form
 *   GET  /portal/edit?id=…                       every field of the track's 申报表, group by group
 *   POST /portal/applications/{id}/form         saves it (the API's PATCH, at the revision the page
 *                                                was read at) → 303 back; refused → the form again
 *
 * A refusal shows the API's ValidationError details beside the fields they name, with the
 * county's entries kept; a save that lost the race to someone else's says so plainly. The
 * threshold pre-check shows as notes beside its fields and never blocks.
 */
import { EDITABLE_STATUSES } from '../intake/drafts.ts';
import { ConflictError, type ErrorDetail, ValidationError } from '../platform/errors.ts';
import { callerOf, signedIn } from '../platform/http/handler.ts';
import type { ApiRequest } from '../platform/http/handler.ts';
import { html, type PageAnswer, type PageContext, renderPage, seeOther } from '../platform/pages/layout.ts';
import { STATUS_WORDS, TRACK_WORDS } from '../platform/words.ts';
import type { Warning } from '../rules/form.ts';
import { type Track, TrackSchema, TRACKS } from '../schemas/common.ts';
import { type ApplicationDetail, loadApplication, type PortalDeps } from './deps.ts';
import { detailText } from './detail-words.ts';
import { errorSummary, formFieldsets, UNSAVED_GUARD_SCRIPT } from './form-fields.ts';
import { FORM_LAYOUT, FORM_TITLES, formLayout } from './form-layout.ts';
import { fieldValues, postedApplication, type PostedFields, postedValues } from './form-values.ts';
import { flash, portalAction, PORTAL_STYLE } from './parts.ts';
import { IDENTITY_FIELDS, TRACKS_FILED_FOR_AN_ENTRY } from '../register/eligibility.ts';
import { bracketed, colon, inARow } from '../platform/pages/punctuation.ts';

// ---- creating a draft ---------------------------------------------------------------------

interface CreateView {
  campaignId?: string;
  track?: string;
  registerEntryId?: string;
  values: Record<string, string>;
  errors: readonly ErrorDetail[];
}

const BASICS = FORM_LAYOUT.recommendation.slice(0, 1);

async function createForm(ctx: PageContext, deps: PortalDeps, status: number, asked: CreateView): Promise<PageAnswer> {
  const { say } = ctx;
  const open = (await deps.catalog.list()).filter((campaign) => campaign.open);
  const offeredTracks = TRACKS.filter((track) => open.some((campaign) => campaign.tracks[track]));
  // Unasked, the selects show their first option: the fields below follow that option, so a
  // campaign card's link to a re-review campaign offers the county's entries, not the basics.
  const campaign = open.find((c) => c.campaignId === asked.campaignId) ?? open[0];
  const firstTrack = offeredTracks.find((track) => campaign?.tracks[track]);
  const view: CreateView = {
    ...asked,
    ...(asked.campaignId === undefined && campaign && { campaignId: campaign.campaignId }),
    ...(asked.track === undefined && firstTrack && { track: firstTrack }),
  };
  const errorsOf = (field: string) => view.errors.filter((detail) => detail.field === field);
  const select = (
    name: 'campaignId' | 'track' | 'registerEntryId',
    label: string,
    options: { value: string; text: string }[],
  ) => {
    const errors = errorsOf(name);
    const id = `f-${name}`;
    return html`<div class="field${errors.length ? ' invalid' : ''}" data-field="${name}"><label for="${id}">${label}</label>
<select id="${id}" name="${name}" required${errors.length ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${options.map(
      (option) =>
        html`<option value="${option.value}"${option.value === view[name] ? html` selected` : ''}>${option.text}</option>`,
    )}</select>${
      errors.length
        ? html`<p class="error" id="${id}-error" role="alert">${say('fieldError')}${inARow(
            ctx.lang,
            errors.map((d) => detailText(ctx, d)),
          )}</p>`
        : ''
    }</div>`;
  };
  // A re-review or typical case is filed for one of the county's register entries: pick it here.
  const forEntry = TRACKS_FILED_FOR_AN_ENTRY.has(view.track as Track);
  const entries =
    forEntry && view.campaignId && ctx.principal && deps.intake.entriesToFile
      ? await deps.intake.entriesToFile(ctx.principal, view.campaignId, view.track as Track)
      : [];
  const body = html`<p>${say('createIntro')}</p>
${errorSummary(ctx, 'recommendation', view.errors, 'fixFieldsCreate')}
${
  open.length === 0
    ? html`<section><p class="note">${say('noOpenCampaigns')}</p></section>`
    : html`<form method="post" action="${portalAction(ctx, undefined, '')}" novalidate>
<fieldset id="group-campaign"><legend>${say('campaign')}</legend>
${select(
  'campaignId',
  say('campaign'),
  open.map((campaign) => ({ value: campaign.campaignId, text: say(campaign.name) })),
)}
${select(
  'track',
  say('track'),
  offeredTracks.map((track) => ({
    value: track,
    text: say(TRACK_WORDS[track].title),
  })),
)}
</fieldset>
${
  forEntry
    ? html`<fieldset id="group-entry"><legend>${ctx.lang === 'en' ? 'Recognised cluster' : '认定集群'}</legend>${
        entries.length === 0 && errorsOf('registerEntryId').length === 0
          ? html`<p class="note">${ctx.lang === 'en' ? 'No recognised cluster of this county may file this.' : '本县（市、区）没有可申报的认定集群。'}</p>`
          : select(
              'registerEntryId',
              ctx.lang === 'en' ? 'Recognised cluster' : '认定集群',
              entries.map((entry) => ({
                value: entry.entryId,
                text: `${entry.clusterName}${bracketed(ctx.lang, String(entry.cohort))}`,
              })),
            )
      }</fieldset>`
    : formFieldsets(ctx, 'recommendation', BASICS, view.values, { errors: view.errors, warnings: [] })
}
<p class="actions"><button type="submit">${say('createDraft')}</button> <a href="${ctx.link('')}">${say('cancel')}</a></p>
</form>`
}`;
  return renderPage(status, ctx, {
    title: say('createTitle'),
    refused: view.errors.length > 0,
    body,
    refresh: false,
    style: PORTAL_STYLE,
  });
}

/** GET /portal/new[?campaignId=…&track=…]. */
export function newPage(ctx: PageContext, query: Record<string, string>, deps: PortalDeps): Promise<PageAnswer> {
  return createForm(ctx, deps, 200, {
    ...(query.campaignId !== undefined && { campaignId: query.campaignId }),
    ...(query.track !== undefined && { track: query.track }),
    values: {},
    errors: [],
  });
}

const textOf = (posted: PostedFields, name: string): string | undefined =>
  Object.hasOwn(posted, name) ? posted[name] : undefined;

/** POST /portal/applications: the API's create, for the signed-in county. */
export async function createAction(
  ctx: PageContext,
  request: ApiRequest,
  posted: PostedFields,
  deps: PortalDeps,
): Promise<PageAnswer> {
  const principal = signedIn(request);
  const campaignId = textOf(posted, 'campaignId') ?? '';
  const track = textOf(posted, 'track') ?? '';
  const layoutTrack: Track = TrackSchema.safeParse(track).data ?? 'recommendation';
  const { form: _unused, ...basics } = postedApplication(layoutTrack, posted);
  // Filed for a register entry: the entry gives the basics.
  const registerEntryId = textOf(posted, 'registerEntryId');
  const identity = TRACKS_FILED_FOR_AN_ENTRY.has(layoutTrack) ? { registerEntryId } : basics;
  try {
    const created = await deps.intake.create(
      { campaignId, track, countyCode: principal.jurisdiction, ...identity, form: {} },
      callerOf(request),
    );
    return seeOther(ctx.link('edit', { id: created.applicationId, done: 'created' }));
  } catch (error) {
    if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
    return createForm(ctx, deps, error.status, {
      campaignId,
      track,
      ...(registerEntryId !== undefined && { registerEntryId }),
      values: postedValues(layoutTrack, posted),
      errors: error.details?.length ? error.details : [{ code: error.code, message: error.message }],
    });
  }
}

// ---- editing the form ---------------------------------------------------------------------

interface EditView {
  values: Record<string, string>;
  errors: readonly ErrorDetail[];
  warnings: readonly Warning[];
  /** The revision the next save applies at. */
  revision: number;
  /** Someone else saved first. */
  conflict?: boolean;
}

function editForm(
  ctx: PageContext,
  query: Record<string, string>,
  status: number,
  application: ApplicationDetail,
  view: EditView,
): PageAnswer {
  const { say } = ctx;
  const track = application.track;
  const id = application.applicationId;
  const body = html`${flash(ctx, query)}
<p class="note">${say(TRACK_WORDS[track].title)} · ${say('status')}${colon(ctx.lang)}<strong data-status="${application.status}">${say(STATUS_WORDS[application.status].console)}</strong> · <a href="${ctx.link('application', { id })}">${say('backToApplication')}</a></p>
${
  application.status === 'RETURNED' && application.decisionReason
    ? html`<section class="returned problem" id="returned"><h2>${say('returnedReasons')}</h2><p class="reason">${application.decisionReason}</p></section>`
    : ''
}
${
  view.conflict
    ? html`<section class="problem" id="conflict" role="alert"><p><strong>${say('conflict')}</strong></p><p><a href="${ctx.link('application', { id })}" target="_blank" rel="noopener">${say('viewSaved')}</a></p></section>`
    : ''
}
${errorSummary(ctx, track, view.errors)}
${
  view.warnings.length
    ? html`<section id="warnings"><h2>${say('warnings')}</h2><ul class="warnings">${view.warnings.map((warning) => html`<li>${say(warning.message)}</li>`)}</ul></section>`
    : ''
}
<form method="post" action="${portalAction(ctx, id, 'form')}" novalidate data-unsaved-guard="${view.errors.length > 0 || view.conflict === true ? 'unsaved' : 'saved'}">
<input type="hidden" name="revision" value="${view.revision}">
${formFieldsets(ctx, track, formLayout(track, application.formAdditions), view.values, {
  errors: view.errors,
  warnings: view.warnings,
  locked: lockedFields(application),
  ...(application.subSectors && {
    choices: { subSector: application.subSectors.map((entry) => ({ value: entry.name.zh, label: entry.name })) },
  }),
})}
<p class="actions"><button type="submit">${say('saveDraft')}</button>
<a class="button secondary" href="${ctx.link('print', { id })}">${say('printForm')}</a>
<a class="button secondary" href="${ctx.link('submit', { id })}">${say(application.status === 'RETURNED' ? 'resubmitApplication' : 'submitApplication')}</a></p>
</form>`;
  const title = `${application.clusterName} · ${say(FORM_TITLES[track])}`;
  return renderPage(status, ctx, {
    title,
    refused: view.errors.length > 0 || view.conflict === true,
    scripts: [UNSAVED_GUARD_SCRIPT],
    crumbs: html`<a href="${ctx.link('')}">${say('portalHome')}</a>`,
    body,
    refresh: false,
    style: PORTAL_STYLE,
  });
}

/**
 * A filing for a register entry keeps the entry's name, industry and sub-sector (the API refuses
 * any change): the page shows them as text and the save sends none of them, so an entry listed
 * without a sub-sector is not asked for one it could never give.
 */
const lockedFields = (application: Pick<ApplicationDetail, 'registerEntryId'>): ReadonlySet<string> =>
  new Set(application.registerEntryId === undefined ? [] : IDENTITY_FIELDS);

/** The posted form as the API's patch, without the fields the page shows locked. */
function patchOf(application: ApplicationDetail, posted: PostedFields) {
  const patch: Record<string, unknown> = { ...postedApplication(application.track, posted, application.formAdditions) };
  for (const field of lockedFields(application)) delete patch[field];
  return patch;
}

/** The posted values as the page shows them again: a locked field shows the application's own. */
function shownValues(application: ApplicationDetail, posted: PostedFields): Record<string, string> {
  const values = postedValues(application.track, posted, application.formAdditions);
  const saved = fieldValues(application.track, application, application.formAdditions);
  for (const field of lockedFields(application)) values[field] = saved[field] ?? '';
  return values;
}

function notEditable(ctx: PageContext, application: ApplicationDetail): PageAnswer {
  const { say } = ctx;
  const body = html`<section><p>${say('notEditable')} ${say('status')}${colon(ctx.lang)}<strong>${say(STATUS_WORDS[application.status].console)}</strong></p>
<p><a href="${ctx.link('application', { id: application.applicationId })}">${say('backToApplication')}</a></p></section>`;
  return renderPage(409, ctx, { title: application.clusterName, body, refresh: false, style: PORTAL_STYLE });
}

/** GET /portal/edit?id=…. */
export async function editPage(
  ctx: PageContext,
  query: Record<string, string>,
  deps: PortalDeps,
  request: ApiRequest,
): Promise<PageAnswer> {
  const { application } = await loadApplication(deps, query, signedIn(request));
  if (!EDITABLE_STATUSES.includes(application.status)) return notEditable(ctx, application);
  return editForm(ctx, query, 200, application, {
    values: fieldValues(application.track, application, application.formAdditions),
    errors: [],
    warnings: application.warnings,
    revision: application.revision,
  });
}

/** POST /portal/applications/{id}/form: the API's PATCH at the page's revision. */
export async function saveAction(
  ctx: PageContext,
  request: ApiRequest,
  applicationId: string,
  readPosted: () => PostedFields,
  deps: PortalDeps,
): Promise<PageAnswer> {
  const principal = signedIn(request);
  const query = { id: applicationId };
  // Load (and authorise) first: the posted form is read only for the county that may change it.
  const { application } = await loadApplication(deps, query, principal);
  if (!EDITABLE_STATUSES.includes(application.status)) return notEditable(ctx, application);
  const posted = readPosted();
  const revisionText = textOf(posted, 'revision') ?? '';
  const revision = /^\d{1,9}$/.test(revisionText) ? Number(revisionText) : undefined;
  const values = shownValues(application, posted);
  try {
    await deps.intake.patch(
      applicationId,
      {
        ...patchOf(application, posted),
        ...(revision !== undefined && { revision }),
      },
      callerOf(request),
    );
    return seeOther(ctx.link('edit', { id: applicationId, done: 'saved' }));
  } catch (error) {
    if (error instanceof ValidationError) {
      return editForm(ctx, {}, 400, application, {
        values,
        errors: error.details ?? [],
        warnings: [],
        revision: revision ?? application.revision,
      });
    }
    if (error instanceof ConflictError && error.code === 'CONCURRENT_CHANGE') {
      // Show the county's own entries again, at the revision now saved: saving again replaces it.
      const { application: current } = await loadApplication(deps, query, principal);
      return editForm(ctx, {}, 409, current, {
        values,
        errors: [],
        warnings: [],
        revision: current.revision,
        conflict: true,
      });
    }
    throw error;
  }
}
