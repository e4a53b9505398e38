/**
 * What goes into a package and where (./layout.ts): the level's formal letter, its summary table,
 * then each application the level recommended onward, in the summary table's order, with its
 * stamped form and its VALID evidence, each pinned to the version (or ETag) the validator read.
 *
 * Which applications: those the province sent on to MIIT (at the MIIT stage, whatever MIIT made of
 * them since) and those it approved that wait for its batch date. Rejected, returned, withdrawn or
 * overdue ones are not its recommendations and stay out, as they stay off its list.
 */
import { rankingByApplication } from '../operations/exports/exports.ts';
import { effectiveRules } from '../rules/effective-rules.ts';
import type { ApplicationRecord, EvidenceRecord } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { LevelDocumentRef } from '../ports/steps.ts';
import type { Track } from '../schemas/common.ts';
import { FORM_ITEMS, numbered, PACKAGE_FOLDERS, PathAllocator } from './layout.ts';
import type { EntryKind, ManifestEntry, MissingItem } from './records.ts';

/** A file of the plan: where it goes, what it is, and the object it is read from. */
export interface PlannedFile {
  path: string;
  kind: EntryKind;
  source: { key: string; versionId?: string; eTag?: string } | { bytes: () => Promise<Uint8Array> };
  /** What the manifest says of it besides its size and digest. */
  about: Omit<ManifestEntry, 'path' | 'kind' | 'size' | 'sha256'>;
}

export interface PlanInput {
  campaign: Campaign;
  track: Track;
  jurisdictionCode: string;
  applications: readonly ApplicationRecord[];
  scored: readonly ReviewRecord[];
  evidenceOf: (applicationId: string) => Promise<readonly EvidenceRecord[]>;
  letters: readonly LevelDocumentRef[];
  summary: () => Promise<{ fileName: string; body: Uint8Array }>;
  summaryFileName: string;
}

export interface Plan {
  files: PlannedFile[];
  missing: MissingItem[];
  applications: ApplicationRecord[];
}

const FORWARDED_STATUSES = new Set(['MIIT_REVIEW', 'PUBLIC_NOTICE', 'RECOGNIZED', 'RETURNED', 'REJECTED', 'CANCELLED']);

/** The applications the level recommended onward, in its ranking's order (as its summary table). */
export function recommended(
  applications: readonly ApplicationRecord[],
  scored: readonly ReviewRecord[],
  campaignId: string,
  track: Track,
  jurisdictionCode: string,
): ApplicationRecord[] {
  const ranking = rankingByApplication(scored, campaignId, track);
  const listed = applications.filter((a) => {
    if (a.campaignId !== campaignId || a.track !== track || a.provincialCode !== jurisdictionCode) return false;
    if (a.stage === 'miit') return FORWARDED_STATUSES.has(a.status);
    return (
      a.stage === 'province' && a.status === 'PROVINCE_REVIEW' && ranking.get(a.applicationId)?.decision === 'approve'
    );
  });
  const rankOf = (a: ApplicationRecord) => ranking.get(a.applicationId)?.rank ?? Number.POSITIVE_INFINITY;
  return listed.sort(
    (a, b) =>
      rankOf(a) - rankOf(b) ||
      a.countyCode.localeCompare(b.countyCode) ||
      a.clusterName.localeCompare(b.clusterName, 'zh-Hans-CN') ||
      a.applicationId.localeCompare(b.applicationId),
  );
}

const pinned = (e: {
  objectKey?: string;
  s3Key?: string;
  versionId?: string | undefined;
  eTag?: string | undefined;
}) => ({
  key: e.objectKey ?? e.s3Key ?? '',
  ...(e.versionId !== undefined && { versionId: e.versionId }),
  ...(e.eTag !== undefined && { eTag: e.eTag }),
});

export async function planPackage(input: PlanInput): Promise<Plan> {
  const { campaign, track } = input;
  const folders = PACKAGE_FOLDERS[track];
  const paths = new PathAllocator();
  const files: PlannedFile[] = [];
  const missing: MissingItem[] = [];

  if (input.letters.length === 0) {
    missing.push({
      path: `${folders.letter}/`,
      reason: '本级尚未报送校验通过的正式文件 / the level has filed no VALID formal letter',
    });
  }
  for (const letter of input.letters) {
    files.push({
      path: paths.take(folders.letter, letter.fileName),
      kind: 'formal-letter',
      source: pinned(letter),
      about: { item: letter.kind, verdict: 'VALID', validatedAt: letter.validatedAt, validatedSha256: letter.sha256 },
    });
  }

  files.push({
    path: paths.take(folders.summary, input.summaryFileName),
    kind: 'summary-table',
    source: { bytes: async () => (await input.summary()).body },
    about: {},
  });

  const applications = recommended(
    input.applications,
    input.scored,
    campaign.campaignId,
    track,
    input.jurisdictionCode,
  );
  for (const [index, application] of applications.entries()) {
    const folder = `${folders.applications}/${numbered(index, applications.length, application.clusterName)}`;
    const checklist = effectiveRules(campaign, track, application.countyCode).checklist;
    const order = new Map(checklist.map((item, i) => [item.id, i]));
    const evidenceItems = checklist.filter((item) => !FORM_ITEMS.has(item.id));
    const valid = (await input.evidenceOf(application.applicationId))
      .filter((e) => e.status === 'VALID')
      .sort(
        (a, b) =>
          (order.get(a.criterion) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.criterion) ?? Number.MAX_SAFE_INTEGER) ||
          a.requestedAt.localeCompare(b.requestedAt) ||
          a.evidenceId.localeCompare(b.evidenceId),
      );
    if (!valid.some((e) => FORM_ITEMS.has(e.criterion))) {
      missing.push({ path: `${folder}/${folders.form}/`, reason: '没有校验通过的盖章申报表 / no VALID stamped form' });
    }
    for (const evidence of valid) {
      const isForm = FORM_ITEMS.has(evidence.criterion);
      const itemIndex = evidenceItems.findIndex((item) => item.id === evidence.criterion);
      const item = evidenceItems[itemIndex];
      const sub = isForm
        ? `${folder}/${folders.form}`
        : `${folder}/${folders.evidence}/${
            item
              ? numbered(itemIndex, evidenceItems.length, item.criterion ? stripPrefix(item.title.zh) : item.title.zh)
              : evidence.criterion
          }`;
      files.push({
        path: paths.take(sub, evidence.fileName),
        kind: isForm ? 'form' : 'evidence',
        source: pinned(evidence),
        about: {
          applicationId: application.applicationId,
          evidenceId: evidence.evidenceId,
          item: evidence.criterion,
          verdict: evidence.status,
          ...(evidence.validatedAt !== undefined && { validatedAt: evidence.validatedAt }),
          ...(evidence.sha256 !== undefined && { validatedSha256: evidence.sha256 }),
        },
      });
    }
  }
  return { files, missing, applications };
}

/** "佐证材料：具有较强核心竞争力" → "具有较强核心竞争力": the folder already says 佐证材料. */
function stripPrefix(title: string): string {
  const colon = title.indexOf('：');
  return colon >= 0 ? title.slice(colon + 1) : title;
}
