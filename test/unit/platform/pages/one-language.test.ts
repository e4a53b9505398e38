import { describe, expect, it } from 'vitest';
import { oneLanguage } from '../../../../shared/platform/pages/i18n.ts';

/** A message the API writes in both languages, shown by its half in the page's language. */
describe('oneLanguage', () => {
  it('splits a message whose English half names a Chinese place', () => {
    const late =
      '逾期不予受理：延边朝鲜族自治州未在期限内作出决定 / Not accepted: 延边朝鲜族自治州 did not decide by the deadline';
    expect(oneLanguage('zh', late)).toBe('逾期不予受理：延边朝鲜族自治州未在期限内作出决定');
    expect(oneLanguage('en', late)).toBe('Not accepted: 延边朝鲜族自治州 did not decide by the deadline');
  });

  it('splits past quotes and digits that open the English half', () => {
    const named = '“敦化”不是县级行政区划 / “Dunhua” is not a county-level division';
    expect(oneLanguage('en', named)).toBe('“Dunhua” is not a county-level division');
    expect(oneLanguage('zh', '第 2 行缺少主导产业 / 2nd row: the leading industry is missing')).toBe(
      '第 2 行缺少主导产业',
    );
  });

  it('returns whole what is not two languages: one language, Chinese on both sides, no Chinese half', () => {
    for (const text of ['材料齐全', '吉林省 / 延边州', 'in / out', '附件/1/2 年报.pdf', 'GB/T 2260 / ok']) {
      expect(oneLanguage('en', text), text).toBe(text);
      expect(oneLanguage('zh', text), text).toBe(text);
    }
  });
});
