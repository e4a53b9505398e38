/**
 * The demo's walk through one stage's declared steps (shared/rules/steps.ts, as the campaign and
 * its province overlay declare them): each person step from its emailed link, with what the step
 * asks filed first (the city's on-site statement, the level's sampling record, minutes or formal
 * letter); a formal letter completes its step by itself; a public notice passes on the
 * pipeline's clock. Over HTTP only, as an outside client.
 */
import { createHash } from 'node:crypto';
import { stageSteps } from '../shared/ladder/route.ts';
import type { Principal } from '../shared/platform/auth/principal.ts';
import type { LevelDocumentKind } from '../shared/ports/steps.ts';
import type { Campaign } from '../shared/rules/campaign.ts';
import { asksAlsoNational } from '../shared/review/also-national.ts';
import type { Step } from '../shared/rules/steps.ts';
import { levelDocumentFor } from '../shared/review/step-gates.ts';
import { type ApiClient, type EvidenceItem, postPresigned, type Reply } from './client/index.ts';
import { samplePdf } from './sample-evidence.ts';

export interface DemoContext {
  campaign: Campaign;
  as: (who: Principal | undefined) => Promise<ApiClient>;
  say: (text: string) => void;
  showError: (answer: Reply<unknown>) => void;
  waitFor: <T>(what: string, probe: () => Promise<T | undefined>, seconds: number) => Promise<T | undefined>;
  /** The newest review link of the application's stage at `step`, from the local inbox. */
  reviewEmail: (
    applicationId: string,
    stage: string,
    step: number,
  ) => Promise<{ reviewId: string; secret: string; subject: string } | undefined>;
  /** Uploads an application's checklist item as `who`, waiting for the validator. */
  upload: (
    who: Principal,
    applicationId: string,
    criterion: string,
    fileName: string,
    bytes: Uint8Array,
  ) => Promise<EvidenceItem>;
  scores: Record<string, number>;
}

interface Placement {
  applicationId: string;
  countyCode: string;
  cityCode?: string | undefined;
  provincialCode: string;
}

type Stage = 'city' | 'province' | 'miit';

const levelOf = (placement: Placement, stage: Stage) =>
  stage === 'city'
    ? (placement.cityCode ?? placement.provincialCode)
    : stage === 'miit'
      ? '000000'
      : placement.provincialCode;

const reviewerOf = (jurisdiction: string): Principal => ({
  sub: `demo-reviewer-${jurisdiction}`,
  role: 'reviewer',
  jurisdiction,
});

const DOCUMENT_NAMES: Record<LevelDocumentKind, string> = {
  'formal-letter': '正式推荐文件.pdf',
  'rereview-letter': '正式复核意见文件.pdf',
  'meeting-minutes': '会议纪要.pdf',
  'sampling-record': '实地抽查记录.pdf',
  'candidate-list': '拟推荐名单.pdf',
  'cultivation-measures': '培育举措.pdf',
};

/** Files the level's own document (signed in as its reviewer) unless a valid one is there already. */
async function fileLevelDocument(
  ctx: DemoContext,
  placement: Placement,
  jurisdiction: string,
  kind: LevelDocumentKind,
) {
  const reviewer = await ctx.as(reviewerOf(jurisdiction));
  const level = `campaignId=${ctx.campaign.campaignId}&track=recommendation&jurisdiction=${jurisdiction}`;
  const naming = kind === 'sampling-record' ? [placement.applicationId] : undefined;
  const valid = async () => {
    const listed = await reviewer.raw('GET', `/v1/level-documents?${level}`);
    const documents = (listed.json as { documents?: { kind: string; status: string; applicationIds?: string[] }[] })
      .documents;
    return documents?.find(
      (d) =>
        d.kind === kind && d.status === 'VALID' && (!naming || naming.every((id) => d.applicationIds?.includes(id))),
    );
  };
  if (await valid()) {
    ctx.say(`   ${DOCUMENT_NAMES[kind]} is filed already`);
    return;
  }
  const bytes = await samplePdf(`Level document: ${kind}`, [`Level ${jurisdiction}`, ...(naming ?? [])]);
  const requested = await reviewer.raw('POST', `/v1/level-documents?${level}`, {
    kind,
    fileName: DOCUMENT_NAMES[kind],
    contentType: 'application/pdf',
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(naming && { applicationIds: naming }),
  });
  if (requested.status !== 201) {
    ctx.showError(requested);
    throw new Error(`could not file ${kind}`);
  }
  const { upload } = requested.json as { upload: { url: string; fields: Record<string, string> } };
  await postPresigned(upload, { bytes });
  const filed = await ctx.waitFor(`the validator on ${DOCUMENT_NAMES[kind]}`, valid, 30);
  ctx.say(`   the level files ${DOCUMENT_NAMES[kind]} → ${filed ? 'VALID' : 'not validated yet'}`);
}

/** Files what `step` needs and returns its approval body (undefined: the filing completes it). */
async function prepare(
  ctx: DemoContext,
  placement: Placement,
  stage: Stage,
  step: Step,
): Promise<Record<string, unknown> | undefined> {
  const jurisdiction = levelOf(placement, stage);
  switch (step.kind) {
    case 'review':
      if (stage === 'province') return { scores: ctx.scores };
      return {};
    case 'onsite-statement': {
      const statement = await samplePdf('On-site check statement', [
        `Application ${placement.applicationId}`,
        'The city visited the cluster and found the application consistent with the facts.',
      ]);
      const reviewer = reviewerOf(jurisdiction);
      const uploaded = await ctx.upload(
        reviewer,
        placement.applicationId,
        'onsite-check-statement',
        '现场核查符合性说明.pdf',
        statement,
      );
      ctx.say(`   the city uploads its statement (现场核查符合性说明.pdf) → ${uploaded.status}`);
      return {};
    }
    case 'formal-check':
      return { checks: Object.fromEntries(step.points.map((point) => [point.id, 'pass'])) };
    case 'sampling':
      if (step.when === 'when-necessary') return { sampling: { sampled: false } };
      await fileLevelDocument(ctx, placement, jurisdiction, 'sampling-record');
      return { sampling: { sampled: true, note: '现场查看，情况属实' } };
    case 'meeting':
      await fileLevelDocument(ctx, placement, jurisdiction, 'meeting-minutes');
      return {};
    case 'formal-letter':
      await fileLevelDocument(ctx, placement, jurisdiction, levelDocumentFor(step) ?? 'formal-letter');
      return undefined;
    default:
      return {};
  }
}

/**
 * Walks every step of the application's `stage`. False when it cannot go on (a refusal, or the
 * pipeline's clock too slow for a deadline or a notice: see --speedup).
 */
export async function walkStage(ctx: DemoContext, placement: Placement, stage: Stage): Promise<boolean> {
  const sequence = stageSteps({ track: 'recommendation', countyCode: placement.countyCode }, ctx.campaign, stage);
  ctx.say(`   steps here: ${sequence.map((s) => s.config.kind).join(' → ')}`);
  for (const [index, { config }] of sequence.entries()) {
    if (config.kind === 'public-notice') {
      ctx.say(`   公示 (${config.days} days) runs on the pipeline's clock`);
      continue;
    }
    if (config.kind === 'expert-panel') {
      ctx.say('   an expert panel: seat and score it on the review page (its experts get their own links)');
      return false;
    }
    if (config.kind === 'formal-letter') {
      // The letter completes the step, whether it is filed before the step opens or after.
      await prepare(ctx, placement, stage, config);
      continue;
    }
    const email = await ctx.waitFor(
      `the ${stage} email for step ${index + 1} (${config.kind})`,
      () => ctx.reviewEmail(placement.applicationId, stage, index),
      stage === 'miit' || index > 0 ? 90 : 20,
    );
    if (!email) return false;
    ctx.say(`   ✉ ${email.subject}`);
    const body = {
      ...(await prepare(ctx, placement, stage, config)),
      // Where a province keeps its own list, the step that states it sends the demo's candidate on
      // to MIIT: Jilin's city (or the province for 梅河口), Shanxi's meeting.
      ...(asksAlsoNational({ stage, step: { index, kind: config.kind } }, placement, ctx.campaign) && {
        alsoNational: true,
      }),
    };
    const decided = await (
      await ctx.as(undefined)
    ).decide(email.reviewId, {
      t: email.secret,
      decision: 'approve',
      ...body,
    });
    ctx.say(`   ${config.kind}: approve → ${decided.status}`);
    if (decided.status !== 200) {
      ctx.showError(decided);
      return false;
    }
  }
  return true;
}
