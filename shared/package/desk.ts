/**
 * The package desk (the API's side): start a build, list and read packages, hand out a
 * short-lived download link, ask for a verification. Building and verifying happen in the
 * background (./builder.ts, ./verify.ts); here a record is written and a request object sent.
 *
 * Who may: a province's reviewers and operators build their own province's package; anyone who
 * may export a jurisdiction's summary table (its reviewers and operators, and MIIT over all) reads
 * its packages and asks for a verification.
 */
import * as z from 'zod';
import { assertAllowed, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { TRACK_WORDS } from '../platform/words.ts';
import type { PackageLinks, PackageRequests, PackageStore } from '../ports/package.ts';
import type { Campaign } from '../rules/campaign.ts';
import { findJurisdiction, isProvincialRank, MIIT_CODE } from '../rules/jurisdictions.ts';
import { DivisionCodeSchema, type Track, TrackSchema } from '../schemas/common.ts';
import { DOWNLOAD_URL_TTL_SECONDS, newPackageId, newRequestId, packageKeys } from './keys.ts';
import { type PackageRecord, PackageRecordSchema } from './records.ts';

export const BuildPackageBodySchema = z.strictObject({
  /** Default: the campaign's first track. */
  track: TrackSchema.optional(),
  /** Default: the signed-in principal's own jurisdiction. */
  jurisdiction: DivisionCodeSchema.optional(),
});
export type BuildPackageBody = z.infer<typeof BuildPackageBodySchema>;

export const PackageListQuerySchema = z.object({ jurisdiction: DivisionCodeSchema.optional() });

/** A package as the API shows it: the record (without the builder's hold) and, once READY, its link. */
export const PackageViewSchema = PackageRecordSchema.omit({ claimedUntil: true }).extend({
  download: z.object({ url: z.string(), expiresAt: z.string() }).optional(),
});
export type PackageView = z.infer<typeof PackageViewSchema>;
export const PackageListSchema = z.object({ packages: z.array(PackageViewSchema) });

const PACKAGE_KIND: Readonly<Record<Track, string>> = {
  recommendation: '推荐材料',
  rereview: '复核材料',
  'typical-case': '典型案例材料',
};

export interface PackageDeskDeps {
  store: PackageStore;
  requests: PackageRequests;
  links: PackageLinks;
  campaigns: { get(campaignId: string): Promise<Campaign> };
  clock: () => Date;
}

export class PackageDesk {
  constructor(private readonly deps: PackageDeskDeps) {}

  async build(campaignId: string, body: BuildPackageBody, principal: Principal): Promise<PackageView> {
    const campaign = await this.deps.campaigns.get(campaignId);
    const code = body.jurisdiction ?? principal.jurisdiction;
    assertAllowed(may.buildPackage(principal, code), 'buildPackage', principal);
    const place = findJurisdiction(code);
    if (!place || !isProvincialRank(place.rank)) {
      throw new ValidationError('a package is built for a provincial-rank jurisdiction', [
        {
          field: 'jurisdiction',
          code: 'NOT_PROVINCIAL',
          message: `${code} is not a province, municipality, planned city or the XPCC`,
        },
      ]);
    }
    const track = body.track ?? (Object.keys(campaign.tracks)[0] as Track);
    if (!campaign.tracks[track]) {
      throw new ValidationError(`campaign ${campaignId} has no ${track} track`, [
        { field: 'track', code: 'TRACK_NOT_OFFERED', message: `campaign ${campaignId} has no ${track} track` },
      ]);
    }
    const now = this.deps.clock();
    const packageId = newPackageId(code, track, now);
    const record: PackageRecord = {
      packageId,
      campaignId,
      track,
      jurisdictionCode: code,
      jurisdictionName: place.name,
      status: 'BUILDING',
      requestedBy: principal,
      requestedAt: now.toISOString(),
      ...packageKeys(campaignId, packageId),
      fileName: `${campaign.year}年中小企业特色产业集群${PACKAGE_KIND[track]}（${place.name}）-${packageId}.zip`,
      attempts: 0,
      missing: [],
    };
    await this.deps.store.create(record);
    await this.deps.requests.send({ action: 'build', campaignId, packageId });
    return this.view(record);
  }

  async list(campaignId: string, jurisdiction: string | undefined, principal: Principal): Promise<PackageView[]> {
    await this.deps.campaigns.get(campaignId);
    const code = jurisdiction ?? principal.jurisdiction;
    assertAllowed(may.export(principal, code), 'export', principal);
    const records = await this.deps.store.list(campaignId, code === MIIT_CODE ? undefined : code);
    // Each READY package with its link: presigning is local work, no request to S3.
    return Promise.all(records.map((record) => this.view(record)));
  }

  async get(campaignId: string, packageId: string, principal: Principal): Promise<PackageView> {
    return this.view(await this.readable(campaignId, packageId, principal));
  }

  async verify(campaignId: string, packageId: string, principal: Principal): Promise<PackageView> {
    const record = await this.readable(campaignId, packageId, principal);
    if (record.status !== 'READY') {
      throw new ConflictError(
        'PACKAGE_NOT_READY',
        `package ${packageId} is ${record.status}: only a READY package is verified`,
      );
    }
    const verification = {
      status: 'VERIFYING' as const,
      requestId: newRequestId(),
      requestedAt: this.deps.clock().toISOString(),
      requestedBy: principal.sub,
      mismatches: [],
    };
    if (!(await this.deps.store.requestVerification(campaignId, packageId, verification))) {
      throw new ConflictError('PACKAGE_NOT_READY', `package ${packageId} is not READY`);
    }
    await this.deps.requests.send({ action: 'verify', campaignId, packageId, requestId: verification.requestId });
    return this.view({ ...record, verification });
  }

  private async readable(campaignId: string, packageId: string, principal: Principal): Promise<PackageRecord> {
    const record = await this.deps.store.get(campaignId, packageId);
    if (!record) throw new NotFoundError(`No package ${packageId} in campaign ${campaignId}`);
    assertAllowed(may.export(principal, record.jurisdictionCode), 'export', principal);
    return record;
  }

  private async view(record: PackageRecord): Promise<PackageView> {
    const { claimedUntil: _held, ...shown } = record;
    if (record.status !== 'READY') return shown;
    const expiresAt = new Date(this.deps.clock().getTime() + DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString();
    const url = await this.deps.links.downloadUrl({
      key: record.objectKey,
      fileName: record.fileName,
      ...(record.versionId !== undefined && { versionId: record.versionId }),
      expiresInSeconds: DOWNLOAD_URL_TTL_SECONDS,
    });
    return { ...shown, download: { url, expiresAt } };
  }
}

export const trackTitle = (track: Track) => TRACK_WORDS[track].title;
