import { ConflictError } from '../platform/errors.ts';
import type { QuotaScope } from '../ports/quotas.ts';
import type { Campaign } from '../rules/campaign.ts';
import { placeName } from '../rules/jurisdictions.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { provincialListOf } from './provincial-list.ts';

/**
 * What a full quota means for the reviewer who met it, in both languages (`<中文> / <English>`, as
 * the review pages split them): whose quota, how much of it is used, and what to do instead. Over
 * the quota "一律不予受理" (DOMAIN.md): an approval cannot go through, so the way on is to reject
 * this one with a reason; where the province keeps a list of its own (Shanxi, Jilin; said only when
 * the refusal knows the campaign: `forApplication`), an application may stay on it without going to
 * MIIT, which takes no slot of the quota to MIIT. A slot comes free
 * when a forwarded application ends (withdrawn, cancelled, rejected further up: closing.ts releases
 * it), so a reviewer who would rather wait for that may. The English half names the place and the
 * sub-sector by code and id: a Chinese name in it would keep pages from telling the halves apart
 * (oneLanguage).
 */
function quotaFullMessage(
  scope: QuotaScope,
  code: string,
  used: number,
  limit: number,
  { subSectorName, provincialList = false }: QuotaRefusalContext,
): string {
  const count = { zh: `已用 ${used}/${limit}`, en: `${used} of ${limit} used` };
  const wayOn = {
    zh: '超出的一律不予受理：请选择“不予推荐”并说明原因；已推荐的申报撤回、被取消或未获通过的，名额随即释放，届时可再推荐本申报',
    en:
      'no more are accepted: reject this application, with the reason; a slot comes free when a forwarded ' +
      'application is withdrawn, cancelled or rejected; this one can then be approved',
  };
  if (scope === 'provincial') {
    const name = placeName(code) ?? code;
    const list = provincialList
      ? {
          zh: '；也可只列入本省名单、不推荐至工业和信息化部',
          en: "; or keep the application on the province's own list without recommending it to MIIT",
        }
      : { zh: '', en: '' };
    return (
      `${name}推荐至工业和信息化部的名额已满（${count.zh}），${wayOn.zh}${list.zh} / ` +
      `the quota of ${code} for recommendations to MIIT is full (${count.en}): ${wayOn.en}${list.en}`
    );
  }
  if (scope === 'city') {
    const name = placeName(code) ?? code;
    return (
      `${name}推荐至省级的名额已满（${count.zh}），${wayOn.zh} / ` +
      `the quota of ${code} for recommendations to the province is full (${count.en}): ${wayOn.en}`
    );
  }
  // A sub-sector's key is `<the forwarding level's code>:<sub-sector id>`.
  const [level = code, subSector = ''] = code.split(':');
  const name = placeName(level) ?? level;
  const which = subSectorName === undefined ? '该细分领域' : `细分领域“${subSectorName}”`;
  return (
    `${name}在${which}的推荐名额已满（${count.zh}，每个细分领域至多 ${limit} 个），${wayOn.zh} / ` +
    `the quota of ${level} for the sub-sector ${subSector} is full (${count.en}; at most ${limit} per sub-sector): ${wayOn.en}`
  );
}

/** What the refusal knows of the application beyond the quota's key (the review desk knows it; the adapter does not). */
export interface QuotaRefusalContext {
  /** The sub-sector's name as the application states it (特种钢): the quota key holds only its id. */
  subSectorName?: string;
  /** Whether the application's province keeps a list of its own it may stay on (Shanxi, Jilin; not Beijing). */
  provincialList?: boolean;
}

/** What the review desk tells a refusal about the application: its sub-sector's name, its province's own list. */
export const quotaRefusalContext = (
  application: Pick<ApplicationRecord, 'subSector' | 'track' | 'countyCode'>,
  campaign: Campaign,
): QuotaRefusalContext => ({
  subSectorName: application.subSector,
  provincialList: provincialListOf(application, campaign).provincialRecognition !== undefined,
});

/** 409 with the numbers: "8 of 8 used" — a reviewer's decision is refused, never dropped. */
export class QuotaExceededError extends ConflictError {
  constructor(
    readonly scope: QuotaScope,
    readonly jurisdictionCode: string,
    readonly used: number,
    readonly limit: number,
    readonly context: QuotaRefusalContext = {},
  ) {
    super('QUOTA_EXCEEDED', `${used} of ${limit} used: the ${scope} quota of ${jurisdictionCode} is full`, [
      {
        field: 'decision',
        code: 'QUOTA_EXCEEDED',
        message: quotaFullMessage(scope, jurisdictionCode, used, limit, context),
        scope,
        jurisdictionCode,
        used,
        limit,
      },
    ]);
  }

  /**
   * The same refusal, told about the application it refuses: a sub-sector by the name its
   * application states, and whether its province keeps its own list. The quota adapter that finds
   * the quota full knows only the key; the review desk knows the application and its campaign.
   */
  forApplication(context: QuotaRefusalContext): QuotaExceededError {
    return new QuotaExceededError(this.scope, this.jurisdictionCode, this.used, this.limit, context);
  }
}
