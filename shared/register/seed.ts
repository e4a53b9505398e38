/**
 * What the register holds before any list is imported: the clusters the notices themselves name
 * (DOMAIN.md). 敦化市医药产业集群 is Jilin's national cluster of the 2022 cohort (re-reviewed in
 * 2025); the 2023 list has 100 clusters, of which the notices' news names three. Every other name
 * comes from the lists operators import. The lists' own dates are not in the notices: the seed's
 * validity runs from the end of its cohort's year, for three years.
 */
import type { AddOutcome, RegisterStore } from '../ports/register.ts';
import { addYearsToDate, DEFAULT_VALIDITY_YEARS, type RegisterEntry, registerEntryId, provinceOf } from './entry.ts';

export const SEED_CLUSTERS = [
  { clusterName: '敦化市医药产业集群', countyCode: '222403', leadingIndustry: '医药', cohort: 2022 },
  {
    clusterName: '北京市丰台区轨道交通智能控制',
    countyCode: '110106',
    leadingIndustry: '轨道交通智能控制',
    cohort: 2023,
  },
  { clusterName: '北京市大兴区医疗器械', countyCode: '110115', leadingIndustry: '医疗器械', cohort: 2023 },
  {
    clusterName: '江苏省南京市江宁区智能配电设备',
    countyCode: '320115',
    leadingIndustry: '智能配电设备',
    cohort: 2023,
  },
] as const;

export function seedEntries(now: Date): RegisterEntry[] {
  const at = now.toISOString();
  return SEED_CLUSTERS.map((cluster) => {
    const validFrom = `${cluster.cohort}-12-31`;
    return {
      entryId: registerEntryId({ level: 'national', ...cluster }),
      clusterName: cluster.clusterName,
      countyCode: cluster.countyCode,
      provinceCode: provinceOf(cluster.countyCode),
      leadingIndustry: cluster.leadingIndustry,
      subSector: '',
      level: 'national',
      cohort: cluster.cohort,
      validFrom,
      validUntil: addYearsToDate(validFrom, DEFAULT_VALIDITY_YEARS),
      state: 'valid',
      // Both languages, as the register's other reasons are written: a page shows its own half (oneLanguage).
      history: [
        {
          at,
          by: 'seed',
          to: 'valid',
          reason: `${cluster.cohort} 年国家级名单（通知中列明） / ${cluster.cohort} national list (named in the notices)`,
        },
      ],
      source: { kind: 'seed' },
      revision: 0,
      createdAt: at,
      updatedAt: at,
    };
  });
}

/** Seeds the register; a second run finds every entry there and writes nothing. */
export async function seedRegister(register: Pick<RegisterStore, 'add'>, now: Date): Promise<AddOutcome[]> {
  return Promise.all(seedEntries(now).map((entry) => register.add(entry)));
}
