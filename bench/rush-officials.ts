import { randomUUID } from 'node:crypto';
import { type ClientSettings, type EvidenceRequest, signIn, uploadEvidence } from '../local/client/index.ts';
import { asBeforeSteps } from '../local/campaign-before-steps.ts';
import { compileRoutes, matchRoutes } from '../local/gateway/routing.ts';
import { samplePdf, sampleRecommendationForm } from '../local/sample-evidence.ts';
import { ROUTES } from '../shared/platform/http/routes.ts';
import type { Campaign } from '../shared/rules/campaign.ts';
import { demoCampaign } from '../shared/rules/campaigns/index.ts';
import { effectiveRules } from '../shared/rules/effective-rules.ts';
import { childrenOf, provincialJurisdictions } from '../shared/rules/jurisdictions.ts';
import { type ClientCounters, retrying } from './faults.ts';
import { type Bench, expectStatus, type Filed, type Placement, validated } from './ladder-people.ts';
import { pool } from './pacing.ts';

/**
 * The county officials of the deadline rush (bench/rush.ts): where they sit, the campaign whose
 * submission deadline is an hour away, the timed and retrying API client they share, and what one
 * official does — create the draft, upload the files through presigned POSTs, wait for the
 * validator's verdicts, check them, submit.
 */

const HOUR_MS = 3_600_000;
const VERDICT_WAIT_MS = 600_000;

/** The demo campaign's overlays decide the routes (its senders), whatever its dates. */
const ROUTING: Campaign = demoCampaign(new Date());

/** Not in the rush: Shanxi's cities forward at most 3, one per sub-sector (order-dependent outcomes). */
const EXCLUDED_PROVINCES = new Set(['140000']);

/**
 * `count` distinct counties that have a city stage, round-robin over the provinces (each
 * province's counties interleaved over its cities), so each city's reviewers see few and every
 * province many. Throws when the tree has fewer.
 */
export function rushPlacements(count: number): Placement[] {
  const perProvince = provincialJurisdictions()
    .filter((p) => p.rank === 'province' && !EXCLUDED_PROVINCES.has(p.code))
    .map((province) => {
      const byCity = childrenOf(province.code)
        .filter((city) => city.rank === 'city')
        .map((city) =>
          // A city stage as routed: a province's direct sender (梅河口 in Jilin) has none.
          childrenOf(city.code).filter(
            (c) => c.applicant && effectiveRules(ROUTING, 'recommendation', c.code).stages[0]?.stage === 'city',
          ),
        );
      const counties: string[] = [];
      for (let i = 0; byCity.some((list) => i < list.length); i++) {
        for (const list of byCity) {
          const county = list[i];
          if (county) counties.push(county.code);
        }
      }
      return { provincialCode: province.code, counties };
    });
  const placements: Placement[] = [];
  for (let round = 0; placements.length < count; round++) {
    const before = placements.length;
    for (const { provincialCode, counties } of perProvince) {
      const countyCode = counties[round];
      if (countyCode !== undefined && placements.length < count) placements.push({ countyCode, provincialCode });
    }
    if (placements.length === before) throw new Error(`only ${placements.length} counties with a city stage`);
  }
  return placements;
}

/**
 * The demo campaign placed so that its submission deadline is one hour after `now`: the rush
 * happens in the last hour (the handlers read the real clock). With `files` below the county's
 * required items, only the first `files` stay required (a small test run).
 */
export function rushCampaign(now: Date, files?: number): Campaign {
  const probe = demoCampaign(now);
  const lead = Date.parse(probe.calendar.submission ?? probe.calendar.province) - now.getTime();
  // One person step a level (as the ladder bench): the rush measures filing, not the level documents.
  const campaign = asBeforeSteps(demoCampaign(new Date(now.getTime() - lead + HOUR_MS)));
  // An id of its own: two rushes in one process (the test's) never meet each other's campaign.
  campaign.campaignId = `${campaign.campaignId}-rush-${randomUUID().slice(0, 6)}`;
  if (files === undefined) return campaign;
  const track = campaign.tracks.recommendation;
  if (!track) throw new Error('the demo campaign has no recommendation track');
  let kept = 0;
  track.checklist = track.checklist.map((item) => {
    if (!item.required || item.uploadedBy !== 'county') return item;
    kept += 1;
    return kept <= files ? item : { ...item, required: false };
  });
  if (files > kept) throw new Error(`files: at most ${kept}`);
  return campaign;
}

// ---- timing --------------------------------------------------------------------------------

/** Samples in milliseconds, by what was timed (a route key, the S3 POST, upload → verdict). */
export class Latencies {
  private readonly samples = new Map<string, number[]>();
  /** Only the rush is measured: not the campaign's creation before it, nor the checks after. */
  measuring = false;

  add(name: string, ms: number): void {
    if (!this.measuring) return;
    const list = this.samples.get(name);
    if (list) list.push(ms);
    else this.samples.set(name, [ms]);
  }

  /** Nearest-rank percentiles of each series. */
  summary(): { name: string; count: number; p50: number; p99: number }[] {
    return [...this.samples].map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
      return { name, count: sorted.length, p50: at(0.5), p99: at(0.99) };
    });
  }
}

export const UPLOAD_TO_VERDICT = 'upload → verdict';

/** What the rush's clients saw: server errors per route, and their retries. */
export interface ClientTally extends ClientCounters {
  serverErrors: Record<string, number>;
}

const compiled = compileRoutes(ROUTES);

/** The route key of a request (`POST /v1/applications/{applicationId}/submit`), as the gateway routes it. */
export function routeKeyOf(method: string, path: string): string {
  const bare = path.split('?')[0] ?? path;
  const found = matchRoutes(compiled, bare).find((m) => m.compiled.route.method.toUpperCase() === method);
  return found?.compiled.routeKey ?? `${method} ${bare}`;
}

/**
 * Client settings for everyone in the rush: every attempt timed by route and its 5xx counted,
 * and a failed request sent again (bench/faults.ts's `retrying`: 500/503 and 409
 * CONCURRENT_CHANGE; a 409 after a lost answer read as the success it was). Creating a draft and
 * requesting an upload carry an Idempotency-Key, so sending them again is safe.
 */
export function rushClient(latencies: Latencies, tally: ClientTally): ClientSettings {
  const retry = retrying(tally);
  return {
    around: (request, send) =>
      retry(request, async () => {
        const started = performance.now();
        const response = await send();
        const route = routeKeyOf(request.method, request.path);
        latencies.add(route, performance.now() - started);
        if (response.status >= 500) tally.serverErrors[route] = (tally.serverErrors[route] ?? 0) + 1;
        return response;
      }),
  };
}

// ---- one official --------------------------------------------------------------------------

export interface RushTally {
  created: number;
  /** Verdicts the officials waited for and got (what the bucket holds is checked after the rush). */
  verdicts: number;
  submitted: number;
  /** What went wrong, one line each (an official who could not finish). */
  failures: string[];
}

/**
 * One county official in the last hour: signs in, creates the draft, uploads the county's
 * required files (`uploadsInFlight` at a time, as a browser does) through their presigned POSTs,
 * waits for every verdict, reads the evidence list back (all VALID), and submits. `filed` hears
 * the application before it is submitted, so the reviewers know it when its email comes.
 */
export async function rushOfficial(
  bench: Bench,
  placement: Placement,
  options: {
    uploadsInFlight: number;
    latencies: Latencies;
    tally: RushTally;
    /** Applications created, to their county. */
    drafts: Map<string, string>;
    /** Applications about to be submitted. */
    filed: Map<string, Filed>;
  },
): Promise<void> {
  const { latencies, tally } = options;
  const county = await signIn(bench.stack, 'applicant', placement.countyCode, bench.client);
  const created = await county.createApplication(
    {
      campaignId: bench.campaign.campaignId,
      track: 'recommendation',
      countyCode: placement.countyCode,
      clusterName: `截止前申报产业集群${placement.countyCode}`,
      leadingIndustry: '装备制造',
      subSector: '专用设备',
      form: sampleRecommendationForm(bench.campaign.year),
    },
    { idempotencyKey: randomUUID() },
  );
  expectStatus(`create in ${placement.countyCode}`, created, 201);
  tally.created += 1;
  const { applicationId, checklist } = created.body;
  options.drafts.set(applicationId, placement.countyCode);
  const required = checklist.filter((c) => c.required);
  const countyItems = required.filter((c) => c.uploadedBy === 'county').map((c) => c.id);

  await pool(countyItems, options.uploadsInFlight, async (itemId) => {
    const bytes = await evidenceBytes(bench, itemId);
    const request: EvidenceRequest = {
      criterion: itemId,
      fileName: `${itemId}.pdf`,
      contentType: 'application/pdf',
      size: bytes.byteLength,
    };
    // One key per file: a retried request answers the same evidence item and upload link.
    const timedVerdict = async (objectKey: string) => {
      const postedAt = performance.now();
      // An official waits as long as the rush lasts: under load a verdict took 45 s (p99) and
      // the ladder bench's 60 s wait gave up on uploads whose verdicts came later.
      await validated(bench, objectKey, VERDICT_WAIT_MS);
      latencies.add(UPLOAD_TO_VERDICT, performance.now() - postedAt);
      tally.verdicts += 1;
    };
    await uploadEvidence(county, applicationId, request, { bytes }, timedVerdict, { idempotencyKey: randomUUID() });
  });

  const listed = await county.listEvidence(applicationId);
  expectStatus(`evidence of ${applicationId}`, listed, 200);
  const notValid = listed.body.evidence.filter((e) => e.status !== 'VALID');
  if (notValid.length > 0) {
    throw new Error(`${applicationId}: ${notValid.map((e) => `${e.criterion} ${e.status}`).join(', ')}`);
  }

  options.filed.set(applicationId, {
    applicationId,
    ...placement,
    cityItems: required.filter((c) => c.uploadedBy === 'city').map((c) => c.id),
  });
  const submitted = await county.submit(applicationId);
  expectStatus(`submit ${applicationId}`, submitted, 202);
  tally.submitted += 1;
}

/** One PDF per checklist item, made once (distinct bytes within an application). */
async function evidenceBytes(bench: Bench, itemId: string): Promise<Uint8Array> {
  const made = bench.pdfs.get(itemId);
  if (made) return made;
  const bytes = await samplePdf(itemId, ['deadline rush evidence', `checklist item ${itemId}`]);
  bench.pdfs.set(itemId, bytes);
  return bytes;
}
