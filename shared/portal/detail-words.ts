/**
 * An error detail of the API in the words of the page's language. The API names each bad field
 * in English for its clients (zod's messages, the rules' own); a county official reading the
 * 申报表 in Chinese must read in Chinese what is wrong and what to do. The details keep their
 * codes and, where zod wrote one, the bound in the message; this maps each shape the form's
 * rules produce (shared/rules/form.ts, the create body's schema) to the page's words. Anything
 * unforeseen still says the field is wrong, with its help, never English on a Chinese page.
 */
import type { ErrorDetail } from '../platform/errors.ts';
import { oneLanguage } from '../platform/pages/i18n.ts';
import type { PageContext } from '../platform/pages/layout.ts';
import type { Bilingual } from '../schemas/common.ts';
import type { FormField } from './form-layout.ts';

type Words = (match: RegExpMatchArray) => Bilingual;

const REQUIRED: Bilingual = { zh: '必填，请填写', en: 'Required' };
/** A box left unticked: there is nothing to fill in, only a box to tick. */
const TICK: Bilingual = { zh: '须勾选确认', en: 'Tick the box to confirm' };
/**
 * A part of the form required as a whole, whose own fields each may stay empty: the case's
 * aspects (at least one of the seven, shared/rules/form.ts). "Required" beside its seven labels
 * would say each of them is.
 */
const PART_REQUIRED: Readonly<Record<string, Bilingual>> = {
  'form.aspects': { zh: '至少填写一个方面', en: 'Write up at least one aspect' },
};
const NUMBER: Bilingual = {
  zh: '请填写数字（只填数字，不带单位、百分号或千位分隔符）',
  en: 'Enter a number (digits only: no unit, per cent sign or thousands separator)',
};

/**
 * The messages the form's rules write, in order: zod's (the bound kept from its text), then the
 * rules' own. Each is matched against the message without its `form.x: ` prefix.
 */
const MESSAGES: readonly (readonly [RegExp, Words])[] = [
  [/^Too small: expected string to have >=?1 characters?$/, () => REQUIRED],
  [/expected \w+, received (?:undefined|null)$/, () => REQUIRED],
  [/^Too small: expected array to have/, () => REQUIRED],
  [/^required$/, () => REQUIRED],
  [/expected (?:number|int), received (?:string|NaN)$/, () => NUMBER],
  [/^Invalid input: expected int, received number$/, () => ({ zh: '请填写整数', en: 'Enter a whole number' })],
  [/^Too big: expected number to be <=(\S+)$/, (m) => ({ zh: `不能大于 ${m[1]}`, en: `At most ${m[1]}` })],
  [/^Too big: expected number to be <(\S+)$/, (m) => ({ zh: `须小于 ${m[1]}`, en: `Less than ${m[1]}` })],
  [/^Too small: expected number to be >=(\S+)$/, (m) => ({ zh: `不能小于 ${m[1]}`, en: `At least ${m[1]}` })],
  [/^Too small: expected number to be >(\S+)$/, (m) => ({ zh: `须大于 ${m[1]}`, en: `More than ${m[1]}` })],
  [
    /^Too big: expected string to have <=(\d+) characters$/,
    (m) => ({ zh: `不能超过 ${m[1]} 个字`, en: `At most ${m[1]} characters` }),
  ],
  [/^Invalid email address$/, () => ({ zh: '电子邮箱格式不正确', en: 'Not an email address' })],
  [/^a mainland mobile/, () => ({ zh: '电话号码格式不正确', en: 'Not a phone number' })],
  [/^a six-digit GB\/T 2260 code$/, () => ({ zh: '须为六位数字的行政区划代码', en: 'A six-digit GB/T 2260 code' })],
  [
    /^smeCount cannot exceed enterpriseCount$/,
    () => ({ zh: '不能超过企业数量', en: 'At most the number of enterprises' }),
  ],
  [
    /^outputByYear must give each of the years (.+) once$/,
    (m) => ({
      zh: `须分别填写 ${(m[1] ?? '').split(', ').join('、')} 各年度的产值`,
      en: `Give the output of each of the years ${m[1] ?? ''}`,
    }),
  ],
  // The annual report's figures (shared/annual-report/report.ts).
  [
    /^at most the number of 专精特新 SMEs$/,
    () => ({ zh: '不能超过专精特新中小企业数', en: 'At most the number of specialised SMEs' }),
  ],
  [/^at most the number of SMEs$/, () => ({ zh: '不能超过中小企业数量', en: 'At most the number of SMEs' })],
  [/^write up at least one aspect$/, () => ({ zh: '至少填写一个方面', en: 'Write up at least one aspect' })],
  [
    /^this county already filed a cluster with this name/,
    () => ({ zh: '本县已在本活动中申报了同名集群', en: 'This county already filed a cluster of this name here' }),
  ],
];

/** `form.x: message` (the submit's INVALID_FIELD) → `message`. */
const withoutField = (message: string) => message.replace(/^[\w.]+: /, '');

/**
 * What `detail` says, in the page's language: the rules' message in words, or the page's half of
 * a message the API writes in both (`<中文> / <English>`), else (a message no rule here knows)
 * that the field is wrong, with the field's help when it has one.
 */
export function detailText(
  ctx: PageContext,
  detail: Pick<ErrorDetail, 'code' | 'message'> & { field?: string | undefined },
  field?: FormField,
): string {
  const part =
    detail.field === undefined || !Object.hasOwn(PART_REQUIRED, detail.field) ? undefined : PART_REQUIRED[detail.field];
  if (detail.code === 'MISSING_FIELD' && part) return ctx.say(part);
  if (detail.code === 'MISSING_FIELD') return ctx.say(field?.kind === 'tick' ? TICK : REQUIRED);
  const message = withoutField(detail.message);
  const half = oneLanguage(ctx.lang, message);
  if (half !== message) return half;
  for (const [pattern, words] of MESSAGES) {
    const match = message.match(pattern);
    if (match) return ctx.say(words(match));
  }
  if (ctx.lang === 'en') return detail.message;
  return field?.help ? `填写有误，${field.help.zh}` : '填写有误，请核对后重新填写';
}
