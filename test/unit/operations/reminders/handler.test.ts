import { afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { SweepSummary } from '../../../../shared/operations/sweep-summary.ts';

// Powertools writes EMF through the global console in dev mode (spied on here); dev mode would
// also disable metrics unless told otherwise.
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
delete process.env.POWERTOOLS_METRICS_NAMESPACE;
process.env.TABLE_NAME = 'Records';
process.env.SENDER_EMAIL = 'no-reply@clusters.example.gov.cn';
process.env.PUBLIC_BASE_URL = 'https://api.clusters.example.gov.cn';

type Module = typeof import('../../../../shared/operations/sweeper-handler.ts');
type MetricsModule = typeof import('../../../../shared/platform/metrics.ts');
let sweeper: Module;
let metrics: MetricsModule;

beforeAll(async () => {
  // The handler wires its clients when it loads: after the environment above.
  sweeper = await import('../../../../shared/operations/sweeper-handler.ts');
  metrics = await import('../../../../shared/platform/metrics.ts');
});

let log: MockInstance<typeof console.log>;
beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

const points = () =>
  log.mock.calls
    .map(([line]) => (typeof line === 'string' ? (JSON.parse(line) as unknown) : undefined))
    .filter((doc): doc is Emf => typeof doc === 'object' && doc !== null && '_aws' in doc)
    .flatMap((doc) =>
      doc._aws.CloudWatchMetrics.flatMap((directive) =>
        directive.Metrics.map((metric) => ({
          namespace: directive.Namespace,
          name: metric.Name,
          value: doc[metric.Name],
          dimensions: Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, doc[d]])),
        })),
      ),
    );

const summary: SweepSummary = {
  at: '2026-05-09T00:00:00.000Z',
  campaigns: ['demo-2026-recommendation'],
  remindersSent: 4,
  escalationsSent: 1,
  sent: { review: 3, applicant: 1, 'annual-report': 0 },
  skipped: 2,
  failed: 1,
  pending: { city: 5, province: 4, miit: 0 },
  overdue: { city: 0, province: 1, miit: 2 },
  reviewsDueWithin24h: 3,
};

describe('the sweeper handler', () => {
  it('publishes the gauges per Stage and the run counts, in the pipeline namespace, service sweeper', () => {
    sweeper.publishSweepMetrics(metrics.createMetrics({ serviceName: metrics.SWEEPER_SERVICE }), summary);
    const written = points();
    expect(new Set(written.map((p) => p.namespace))).toEqual(new Set(['ClusterRecommendation']));
    const find = (name: string, stage?: string) =>
      written.filter((p) => p.name === name && (stage === undefined || p.dimensions.Stage === stage));
    expect(find('PendingApplications', 'city')).toEqual([
      expect.objectContaining({ value: 5, dimensions: { service: 'sweeper', Stage: 'city' } }),
    ]);
    expect(find('OverdueApplications', 'miit')[0]?.value).toBe(2);
    expect(find('PendingApplications', 'miit')[0]?.value).toBe(0);
    expect(find('ReviewsDueWithin24h')).toEqual([
      expect.objectContaining({ value: 3, dimensions: { service: 'sweeper' } }),
    ]);
    expect(find('RemindersSent')[0]?.value).toBe(4);
    expect(find('EscalationsSent')[0]?.value).toBe(1);
    expect(find('ReminderFailures')[0]?.value).toBe(1);
    expect(written).toHaveLength(10);
  });
});
