import { ConflictError } from '../platform/errors.ts';
import type { QuotaScope } from '../ports/quotas.ts';
import { placeName } from '../rules/jurisdictions.ts';

/**
 * What a full quota means for the reviewer who met it, in both languages (`<中文> / <English>`, as
 * the review pages split them): whose quota, how much of it is used, and what to do instead. Over
 * the quota "一律不予受理" (DOMAIN.md): an approval cannot go through, so the way on is to reject
 * this one with a reason; where the province keeps a list of its own (Shanxi, Jilin), an application
 * may stay on it without going to MIIT, which takes no slot of the quota to MIIT. The English half
 * names the place by its code: a Chinese name in it would keep pages from telling the halves apart
 * (oneLanguage).
 */
function quotaFullMessage(scope: QuotaScope, code: string, used: number, limit: number): string {
  const count = { zh: `已用 ${used}/${limit}`, en: `${used} of ${limit} used` };
  const reject = {
    zh: '超出的一律不予受理：请选择“不予推荐”并说明原因',
    en: 'no more are accepted: reject this application, with the reason',
  };
  if (scope === 'provincial') {
    const name = placeName(code) ?? code;
    return (
      `${name}推荐至工业和信息化部的名额已满（${count.zh}），${reject.zh}；设有本省名单的，可只列入本省名单、不推荐至工业和信息化部 / ` +
      `the quota of ${code} for recommendations to MIIT is full (${count.en}): ${reject.en}; ` +
      'where the province keeps its own list, keep the application on it without recommending it to MIIT'
    );
  }
  if (scope === 'city') {
    const name = placeName(code) ?? code;
    return (
      `${name}推荐至省级的名额已满（${count.zh}），${reject.zh} / ` +
      `the quota of ${code} for recommendations to the province is full (${count.en}): ${reject.en}`
    );
  }
  // A sub-sector's key is `<the forwarding level's code>:<sub-sector id>`.
  const [level = code, subSector = ''] = code.split(':');
  const name = placeName(level) ?? level;
  return (
    `${name}在该细分领域的推荐名额已满（${count.zh}，每个细分领域至多 ${limit} 个），${reject.zh} / ` +
    `the quota of ${level} for the sub-sector ${subSector} is full (${count.en}; at most ${limit} per sub-sector): ${reject.en}`
  );
}

/** 409 with the numbers: "8 of 8 used" — a reviewer's decision is refused, never dropped. */
export class QuotaExceededError extends ConflictError {
  constructor(
    readonly scope: QuotaScope,
    readonly jurisdictionCode: string,
    readonly used: number,
    readonly limit: number,
  ) {
    super('QUOTA_EXCEEDED', `${used} of ${limit} used: the ${scope} quota of ${jurisdictionCode} is full`, [
      {
        field: 'decision',
        code: 'QUOTA_EXCEEDED',
        message: quotaFullMessage(scope, jurisdictionCode, used, limit),
        scope,
        jurisdictionCode,
        used,
        limit,
      },
    ]);
  }
}
