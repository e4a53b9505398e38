/**
 * /console/packages: a level's submission packages (MIIT: every province's), each with its status —
 * building (with its progress), ready (size, file count, a short-lived download link), failed
 * (why) — and its verification; a form to build one for the signed-in province, and a button to
 * verify a ready one. Both forms post with the session cookie and come back here.
 */
import * as z from 'zod';
import { oneLanguage, PACKAGE_WORDS as W } from '../platform/pages/i18n.ts';
import { html, type PageAnswer, type PageContext, renderPage, scroll } from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { TRACK_WORDS } from '../platform/words.ts';
import type { Bilingual } from '../schemas/common.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { Track } from '../schemas/common.ts';
import type { PackageView } from './desk.ts';
import type { Mismatch } from './records.ts';

/** What each difference a verification finds means, for the person who reads it (MIIT). */
const PROBLEM_WORDS: Readonly<Record<Mismatch['problem'], Bilingual>> = {
  digest: { zh: '内容与清单不一致（SHA-256不同）', en: 'content differs from the manifest (SHA-256)' },
  size: { zh: '大小与清单不一致', en: 'size differs from the manifest' },
  absent: { zh: '清单列有，材料包中没有', en: 'listed in the manifest, not in the package' },
  unlisted: { zh: '材料包中有，清单未列', en: 'in the package, not listed in the manifest' },
  manifest: {
    zh: '清单与生成时记录的摘要不一致',
    en: 'the manifest differs from the digest recorded when the package was built',
  },
};

/**
 * The banner after a form's redirect says what is true of that package now, not what was true
 * when the form was posted: the id stays in the address, so a reload hours later reads it again.
 */
const NOW_WORDS = {
  building: {
    zh: '材料包生成中，刷新页面查看进度',
    en: 'The package is being built; reload the page to follow its progress',
  },
  ready: { zh: '材料包已生成，可在下表下载', en: 'The package is ready; download it from the table below' },
  failed: {
    zh: '材料包生成失败，原因见下表，可重新生成',
    en: 'The build failed; the table below says why, and you may build it again',
  },
  verifying: {
    zh: '材料包核验中，刷新页面查看结论',
    en: 'The package is being verified; reload the page for the outcome',
  },
  VERIFIED: { zh: '核验完成，材料包与清单一致', en: 'Verified; the package matches its manifest' },
  MISMATCH: {
    zh: '核验完成，材料包与清单不一致，差异见下表',
    en: 'Verified; the package does not match its manifest, and the table below lists the differences',
  },
  verifyFailed: {
    zh: '核验未能完成，原因见下表，可再次核验',
    en: 'The verification could not finish; the table below says why, and you may verify again',
  },
} as const satisfies Record<string, Bilingual>;

/** The verification column's words for a check that could not finish (the build's FAILED is not it). */
const VERIFY_FAILED_WORDS = {
  status: { zh: '核验未能完成', en: 'Could not verify' },
  failure: { zh: '原因', en: 'Why' },
} as const satisfies Record<string, Bilingual>;

export const PackagesPageQuerySchema = z.object({
  campaignId: z.string().min(1).max(64).optional(),
  /** Set by the forms' redirects: the package just started or sent to verification. */
  started: z.string().max(80).optional(),
  verifying: z.string().max(80).optional(),
});

export interface PackagesPageData {
  campaigns: readonly Pick<Campaign, 'campaignId' | 'name' | 'year' | 'tracks'>[];
  campaign?: Pick<Campaign, 'campaignId' | 'name' | 'year' | 'tracks'>;
  packages: readonly PackageView[];
  /** Whether the signed-in principal may build its own province's package. */
  mayBuild: boolean;
}

/** A long campaign name or package id wraps rather than widening a phone's page. */
const STYLE = 'select{max-width:100%}td code{word-break:break-all}';

const MiB = 1024 * 1024;
const sizeText = (bytes: number) =>
  bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

export function packagesQuery(query: Record<string, string>) {
  return parseOrThrow(
    PackagesPageQuerySchema,
    { campaignId: query.campaignId, started: query.started, verifying: query.verifying },
    'query',
  );
}

function redirectNotice(
  ctx: PageContext,
  q: z.infer<typeof PackagesPageQuerySchema>,
  packages: readonly PackageView[],
) {
  const { say } = ctx;
  const colon = ctx.lang === 'zh' ? '：' : ': ';
  const banner = (attr: string, id: string, words: Bilingual, bad = false) =>
    html`<section class="${bad ? 'bad' : 'ok'}" role="status" ${attr}="${id}"><p>${say(words)}${colon}<code>${id}</code></p></section>`;
  // A package not in this list (another campaign's, a mistyped id) gets no banner rather than a false one.
  if (q.started) {
    const p = packages.find((x) => x.packageId === q.started);
    if (!p) return '';
    if (p.status === 'READY') return banner('data-started', p.packageId, NOW_WORDS.ready);
    if (p.status === 'FAILED') return banner('data-started', p.packageId, NOW_WORDS.failed, true);
    return banner('data-started', p.packageId, NOW_WORDS.building);
  }
  if (q.verifying) {
    const p = packages.find((x) => x.packageId === q.verifying);
    const status = p?.verification?.status;
    if (!p || !status) return '';
    if (status === 'VERIFIED') return banner('data-verifying', p.packageId, NOW_WORDS.VERIFIED);
    if (status === 'MISMATCH') return banner('data-verifying', p.packageId, NOW_WORDS.MISMATCH, true);
    if (status === 'FAILED') return banner('data-verifying', p.packageId, NOW_WORDS.verifyFailed, true);
    return banner('data-verifying', p.packageId, NOW_WORDS.verifying);
  }
  return '';
}

export function packagesPage(ctx: PageContext, query: Record<string, string>, data: PackagesPageData): PageAnswer {
  const { say } = ctx;
  const q = packagesQuery(query);
  const picker = html`<section><form method="get" action="${ctx.link('packages')}">
<label for="campaignId">${say(W.campaign)}</label>
<select id="campaignId" name="campaignId">${data.campaigns.map(
    (c) =>
      html`<option value="${c.campaignId}"${c.campaignId === data.campaign?.campaignId ? html` selected` : ''}>${c.year} · ${say(c.name)}</option>`,
  )}</select>${ctx.lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<button type="submit">${say('pickCampaign')}</button></form></section>`;
  const campaign = data.campaign;
  if (!campaign) {
    return renderPage(200, ctx, { title: say(W.title), body: html`<p class="note">${say(W.intro)}</p>${picker}` });
  }
  const notice = redirectNotice(ctx, q, data.packages);
  const tracks = Object.keys(campaign.tracks) as Track[];
  const build = data.mayBuild
    ? html`<section><h2>${say(W.build)}</h2><p class="note">${say(W.buildNote)}</p>
<form method="post" action="${ctx.link('packages', { campaignId: campaign.campaignId })}">
<label for="track">${say(W.track)}</label>
<select id="track" name="track">${tracks.map((t) => html`<option value="${t}">${say(TRACK_WORDS[t].title)}</option>`)}</select>
<button type="submit" data-action="build">${say(W.build)}</button></form></section>`
    : '';
  const rows = data.packages.map((p) => {
    const status = html`<strong data-status="${p.status}">${say(W[p.status])}</strong>`;
    const detail =
      p.status === 'READY'
        ? html`${sizeText(p.size ?? 0)} · ${say(W.files)} ${p.files ?? 0}${
            p.download ? html` · <a data-download href="${p.download.url}">${say(W.download)}</a>` : ''
          }`
        : p.status === 'FAILED'
          ? html`<span class="bad">${say(W.failure)}: ${p.failure ?? ''}</span>`
          : p.progress
            ? html`${say(W.progress)}: ${say(W.files)} ${p.progress.files} · ${sizeText(p.progress.bytes)}`
            : '';
    const missing = p.missing.length
      ? html`<details><summary>${say(W.missing)} (${p.missing.length})</summary><ul>${p.missing.map(
          (m) => html`<li><code>${m.path}</code> ${oneLanguage(ctx.lang, m.reason)}</li>`,
        )}</ul></details>`
      : '';
    const v = p.verification;
    const verification = v
      ? html`<span data-verification="${v.status}"${v.status === 'FAILED' ? html` class="bad"` : ''}>${say(
          v.status === 'FAILED' ? VERIFY_FAILED_WORDS.status : W[v.status],
        )}</span>${
          v.status === 'FAILED' && v.failure
            ? html`<br><span class="bad">${say(VERIFY_FAILED_WORDS.failure)}${ctx.lang === 'zh' ? '：' : ': '}${v.failure}</span>`
            : ''
        }${
          v.mismatches.length
            ? html`<ul>${v.mismatches.slice(0, 20).map((m) => html`<li><code>${m.path}</code> ${say(PROBLEM_WORDS[m.problem])}</li>`)}</ul>`
            : ''
        }`
      : html`<span class="note">${say(W.notVerified)}</span>`;
    const verify =
      p.status === 'READY' && v?.status !== 'VERIFYING'
        ? html`<form method="post" action="${ctx.link(`packages/${p.packageId}/verify`, { campaignId: p.campaignId })}"><button type="submit" data-action="verify">${say(W.verify)}</button></form>`
        : '';
    return html`<tr data-package="${p.packageId}"><td class="wrap"><code>${p.packageId}</code><br>${p.jurisdictionName} · ${say(TRACK_WORDS[p.track].title)}</td>
<td>${ctx.when(p.requestedAt)}</td><td class="wrap">${status}<br>${detail}${missing}</td><td class="wrap">${verification}${verify}</td></tr>`;
  });
  const table = data.packages.length
    ? scroll(
        html`<table><thead><tr><th>${say(W.package)}</th><th>${say(W.requestedAt)}</th><th>${say('status')}</th><th>${say(W.verification)}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
    : html`<p class="note">${say(W.none)}</p>`;
  const body = html`<p class="note">${say(W.intro)}</p>${notice}${picker}${build}<section><h2>${say(W.title)}</h2>${table}<p class="note">${say(W.downloadNote)}</p></section>`;
  return renderPage(200, ctx, { title: say(W.title), body, style: STYLE });
}
