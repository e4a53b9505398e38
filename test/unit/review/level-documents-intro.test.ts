import { describe, expect, it } from 'vitest';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { levelDocumentsPage } from '../../../shared/review/level-documents/page.ts';

/**
 * The level documents page says what this level files on the chosen campaign and track: the kinds
 * its uploader offers, by name. Jilin's 10 April candidate list is no rule for every province, and
 * the typical-case track's cultivation measures are named where they are filed.
 */
describe('the level documents page’s intro', () => {
  const intro = (
    jurisdiction: string,
    track: 'recommendation' | 'typical-case' | undefined,
    options: { lang?: 'zh' | 'en'; overlay?: { milestones: { id: string }[] } } = {},
  ) => {
    const principal = { sub: `reviewer-${jurisdiction}`, role: 'reviewer' as const, jurisdiction };
    const body = levelDocumentsPage(pageContext(options.lang ?? 'zh', 'level-documents', {}, principal), {
      principal,
      campaigns: [],
      ...(track && {
        chosen: {
          campaignId: 'demo-2026',
          track,
          documents: [],
          waiting: [],
          ...(options.overlay && { overlay: options.overlay }),
        },
      }),
      uploadOrigin: 'https://bucket.example',
    }).body;
    return body.match(/<p class="note" id="intro">([\s\S]*?)<\/p>/u)?.[1] ?? '';
  };

  it('names no Jilin rule to Shanxi’s city, and says what it files on the recommendation', () => {
    const taiyuan = intro('140100', 'recommendation');
    expect(taiyuan).toContain(
      '本级在本批次、本类别报送：正式推荐文件（盖章）、会议研究纪要、实地抽查记录（照片及材料）。',
    );
    expect(taiyuan).not.toMatch(/吉林|候选名单|4月10日/u);
  });

  it('names the candidate list where the province’s notice asks for it (Jilin’s cities)', () => {
    expect(intro('222400', 'recommendation', { overlay: { milestones: [{ id: 'candidate-list' }] } })).toContain(
      '候选名单及推荐汇总表（4月10日前）',
    );
  });

  it('names the cultivation measures on the typical-case track, at a city and at a province', () => {
    expect(intro('140100', 'typical-case')).toContain('本地区集群培育举措');
    expect(intro('220000', 'typical-case', { lang: 'en' })).toContain('measures for cultivating clusters');
    expect(intro('140100', 'recommendation')).not.toContain('培育举措');
  });

  it('before a campaign and track are chosen, says that they decide, naming no province', () => {
    const unchosen = intro('140100', undefined);
    expect(unchosen).toContain('请选择申报批次和类别');
    expect(unchosen).not.toMatch(/吉林|候选名单/u);
  });
});
