import { describe, expect, it } from 'vitest';
import type { PackageView } from '../../../shared/package/desk.ts';
import { packagesPage } from '../../../shared/package/page.ts';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { campaignAt } from '../review/fixtures.ts';

const campaign = campaignAt(new Date('2026-07-10T00:00:00Z'));
const base: PackageView = {
  packageId: '220000-recommendation-20260710020000-0a1b2c3d',
  campaignId: campaign.campaignId,
  track: 'recommendation',
  jurisdictionCode: '220000',
  jurisdictionName: '吉林省',
  status: 'BUILDING',
  requestedBy: { sub: 'reviewer-220000', role: 'reviewer', jurisdiction: '220000' },
  requestedAt: '2026-07-10T02:00:00.000Z',
  objectKey: 'packages/x/p.zip',
  manifestKey: 'packages/x/manifest.json',
  fileName: 'p.zip',
  attempts: 1,
  missing: [],
};
const jilin = { sub: 'reviewer-220000', role: 'reviewer', jurisdiction: '220000' } as const;

function render(
  packages: PackageView[],
  options: { lang?: 'en'; mayBuild?: boolean; started?: string; verifying?: string } = {},
) {
  const query: Record<string, string> = {
    campaignId: campaign.campaignId,
    ...(options.lang && { lang: options.lang }),
    ...(options.started && { started: options.started }),
    ...(options.verifying && { verifying: options.verifying }),
  };
  const ctx = pageContext(options.lang ?? 'zh', 'packages', query, jilin);
  return packagesPage(ctx, query, { campaigns: [campaign], campaign, packages, mayBuild: options.mayBuild ?? true })
    .body;
}

describe('the packages page', () => {
  it('shows a ready package’s size, file count and download link; a failed one’s reason; a building one’s progress', () => {
    const page = render([
      {
        ...base,
        packageId: `${base.packageId.slice(0, -1)}1`,
        status: 'READY',
        size: 3 * 1024 * 1024,
        files: 12,
        download: { url: 'https://s3.example/p.zip?X-Amz-Signature=abc&x=1', expiresAt: '2026-07-10T02:05:00.000Z' },
      },
      { ...base, packageId: `${base.packageId.slice(0, -1)}2`, status: 'FAILED', failure: '<script>alert(1)</script>' },
      { ...base, progress: { files: 4, bytes: 2048, at: '2026-07-10T02:00:05.000Z' } },
    ]);
    expect(page).toContain('data-status="READY"');
    expect(page).toContain('3.0 MiB · 文件数 12');
    expect(page).toContain('href="https://s3.example/p.zip?X-Amz-Signature=abc&amp;x=1"');
    expect(page).toContain('生成失败');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('进度: 文件数 4 · 2 KiB');
  });

  it('offers the build form only to a level that may build, and the verify button only on a ready package', () => {
    const ready = { ...base, status: 'READY' as const, size: 1, files: 1 };
    expect(render([ready])).toContain('data-action="build"');
    expect(render([ready], { mayBuild: false })).not.toContain('data-action="build"');
    expect(render([ready])).toContain('data-action="verify"');
    expect(render([base])).not.toContain('data-action="verify"');
    expect(
      render([
        {
          ...ready,
          verification: {
            status: 'VERIFYING',
            requestId: 'r',
            requestedAt: base.requestedAt,
            requestedBy: 'm',
            mismatches: [],
          },
        },
      ]),
    ).not.toContain('data-action="verify"');
  });

  it('names the mismatches of a failed verification', () => {
    const page = render([
      {
        ...base,
        status: 'READY',
        verification: {
          status: 'MISMATCH',
          requestId: 'r',
          requestedAt: base.requestedAt,
          requestedBy: 'reviewer-000000',
          mismatches: [{ path: '03_申报材料/01_x/01_申报表/申报表.pdf', problem: 'digest' }],
        },
      },
    ]);
    expect(page).toContain('与清单不一致');
    expect(page).toContain('<code>03_申报材料/01_x/01_申报表/申报表.pdf</code> 内容与清单不一致（SHA-256不同）');
  });

  it('says in the page’s language what a package misses and how a verification differs (the province’s walk saw absent, unlisted in a Chinese page)', () => {
    const ready: PackageView = {
      ...base,
      status: 'READY',
      missing: [
        {
          path: '01_正式推荐文件/',
          reason: '本级尚未报送校验通过的正式文件 / the level has filed no VALID formal letter',
        },
      ],
      verification: {
        status: 'MISMATCH',
        requestId: 'r',
        requestedAt: base.requestedAt,
        requestedBy: 'reviewer-000000',
        mismatches: [
          { path: 'a.pdf', problem: 'absent' },
          { path: 'extra.txt', problem: 'unlisted' },
        ],
      },
    };
    const zh = render([ready]);
    expect(zh).toContain('<code>01_正式推荐文件/</code> 本级尚未报送校验通过的正式文件</li>');
    expect(zh).toContain('<code>a.pdf</code> 清单列有，材料包中没有</li>');
    expect(zh).toContain('<code>extra.txt</code> 材料包中有，清单未列</li>');
    const en = render([ready], { lang: 'en' });
    expect(en).toContain('<code>01_正式推荐文件/</code> the level has filed no VALID formal letter</li>');
    expect(en).toContain('<code>a.pdf</code> listed in the manifest, not in the package</li>');
  });

  it('speaks English with ?lang=en', () => {
    const page = render([], { lang: 'en' });
    expect(page).toContain('<h1>Submission packages</h1>');
    expect(page).toContain('No package yet.');
  });

  it('after a form’s redirect, says what is true of the package now, not what was when the form was posted (the walk saw "the build has started" beside a ready package)', () => {
    const id = base.packageId;
    const banner = (page: string) => /<section class="(?:ok|bad)" role="status"[^>]*><p>(.*?)<code>/.exec(page)?.[1];
    expect(banner(render([base], { started: id }))).toBe('材料包生成中，刷新页面查看进度：');
    expect(banner(render([{ ...base, status: 'READY', size: 1, files: 1 }], { started: id }))).toBe(
      '材料包已生成，可在下表下载：',
    );
    expect(banner(render([{ ...base, status: 'FAILED', failure: 'x' }], { started: id, lang: 'en' }))).toBe(
      'The build failed; the table below says why, and you may build it again: ',
    );
    const verification = (status: 'VERIFYING' | 'VERIFIED' | 'MISMATCH' | 'FAILED') => ({
      ...base,
      status: 'READY' as const,
      verification: { status, requestId: 'r', requestedAt: base.requestedAt, requestedBy: 'm', mismatches: [] },
    });
    expect(banner(render([verification('VERIFYING')], { verifying: id }))).toBe('材料包核验中，刷新页面查看结论：');
    expect(banner(render([verification('VERIFIED')], { verifying: id }))).toBe('核验完成，材料包与清单一致：');
    expect(banner(render([verification('MISMATCH')], { verifying: id }))).toBe(
      '核验完成，材料包与清单不一致，差异见下表：',
    );
    // A package not on the page (another campaign's, a mistyped id): no banner rather than a false one.
    expect(banner(render([base], { started: 'no-such-package' }))).toBeUndefined();
  });

  it('says a verification that could not finish is that, with why, not the build’s "生成失败"', () => {
    const failed: PackageView = {
      ...base,
      status: 'READY',
      verification: {
        status: 'FAILED',
        requestId: 'r',
        requestedAt: base.requestedAt,
        requestedBy: 'm',
        mismatches: [],
        failure: 'end of central directory record signature not found',
      },
    };
    const page = render([failed]);
    const column = /<span data-verification="FAILED"[^]*?<\/td>/.exec(page)?.[0] ?? '';
    expect(column).toContain('核验未能完成');
    expect(column).toContain('原因：end of central directory record signature not found');
    expect(column).not.toContain('生成失败');
    expect(column).toContain('data-action="verify"');
  });
});
