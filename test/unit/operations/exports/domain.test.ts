import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/platform/errors.ts';
import { summaryColumns } from '../../../../shared/operations/exports/columns.ts';
import { buildSummaryTable } from '../../../../shared/operations/exports/exports.ts';
import { decisionZh } from '../../../../shared/operations/exports/labels.ts';
import { inSummary, summaryScope, summaryTrack } from '../../../../shared/operations/exports/scope.ts';
import { CampaignSchema } from '../../../../shared/rules/campaign.ts';
import { cityTablesFor } from '../../../../shared/rules/effective-rules.ts';
import { miit2024TypicalCases } from '../../../../shared/rules/campaigns/miit-2024-typical-cases.ts';
import { miit2025Recommendation } from '../../../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { miit2025Rereview } from '../../../../shared/rules/campaigns/miit-2025-rereview.ts';
import { app, campaign, form, jilin, scored, shanxi } from './fixtures.ts';

const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details?.map((d) => [d.field, d.code]);
  }
  throw new Error('did not throw');
};

describe('summaryScope', () => {
  it('serves provinces, municipalities, planned cities, the XPCC and MIIT', () => {
    expect(summaryScope('220000', campaign)).toEqual({
      level: 'province',
      code: '220000',
      name: '吉林省',
      provincialCode: '220000',
    });
    expect(summaryScope('110000', campaign).level).toBe('province');
    expect(summaryScope('370200', campaign)).toMatchObject({ level: 'province', name: '青岛市' });
    expect(summaryScope('660000', campaign)).toMatchObject({ level: 'province', name: '新疆生产建设兵团' });
    expect(summaryScope('000000', campaign)).toEqual({ level: 'miit', code: '000000', name: '全国' });
  });

  it("serves a city only where its province's overlay asks for per-city tables (Shanxi)", () => {
    expect(cityTablesFor(campaign, '140000')).toBe(true);
    // Jilin's cities file their candidate list with their own table too; Hebei has no overlay.
    expect(cityTablesFor(campaign, '220000')).toBe(true);
    expect(cityTablesFor(campaign, '130000')).toBe(false);
    expect(summaryScope('140100', campaign)).toEqual({
      level: 'city',
      code: '140100',
      name: '山西省太原市',
      provincialCode: '140000',
    });
    expect(fieldsOf(() => summaryScope('130100', campaign))).toEqual([['query.jurisdiction', 'CITY_TABLES_NOT_ASKED']]);
    // The typical-case campaign has no Shanxi overlay.
    expect(fieldsOf(() => summaryScope('140100', miit2024TypicalCases))).toEqual([
      ['query.jurisdiction', 'CITY_TABLES_NOT_ASKED'],
    ]);
  });

  it('refuses unknown codes and counties, naming query.jurisdiction', () => {
    expect(fieldsOf(() => summaryScope('229999', campaign))).toEqual([['query.jurisdiction', 'UNKNOWN_JURISDICTION']]);
    expect(fieldsOf(() => summaryScope('222403', campaign))).toEqual([
      ['query.jurisdiction', 'NOT_A_REVIEWING_JURISDICTION'],
    ]);
    // A district of a planned city is a county, not a city.
    expect(fieldsOf(() => summaryScope('370212', campaign))).toEqual([
      ['query.jurisdiction', 'NOT_A_REVIEWING_JURISDICTION'],
    ]);
  });

  it('defaults the overlay flag to false and keeps it through parsing', () => {
    const parsed = CampaignSchema.parse({
      ...structuredClone(miit2025Recommendation),
      overlays: [{ provinceCode: '130000', name: { zh: '河北省', en: 'Hebei' } }],
    });
    expect(parsed.overlays[0]?.cityTables).toBe(false);
    expect(miit2025Rereview.overlays.find((o) => o.provinceCode === '140000')?.cityTables).toBe(true);
  });
});

describe('summaryTrack', () => {
  it("takes the campaign's only track by default and refuses one it does not offer", () => {
    expect(summaryTrack(campaign, undefined)).toBe('recommendation');
    expect(summaryTrack(miit2025Rereview, undefined)).toBe('rereview');
    expect(fieldsOf(() => summaryTrack(campaign, 'rereview'))).toEqual([['query.track', 'TRACK_NOT_OFFERED']]);
  });
});

describe('inSummary', () => {
  const j = jilin();
  const s = shanxi();
  const province = summaryScope('220000', campaign);
  const city = summaryScope('140100', campaign);
  const miit = summaryScope('000000', campaign);

  it('a province lists what is at its stage or beyond, whatever became of it', () => {
    const listed = j.applications.filter((a) => inSummary(a, province)).map((a) => a.clusterName);
    expect(listed.sort()).toEqual(
      [j.rejected, j.pendingUnscored, j.atMiit, j.awaitingBatch, j.otherCampaign].map((a) => a.clusterName).sort(),
    );
    expect(inSummary(s.approved, province)).toBe(false);
  });

  it('a city lists what it approved, rejected or returned, and nothing of other cities', () => {
    const listed = s.applications.filter((a) => inSummary(a, city));
    expect(listed).toEqual([s.approved, s.rejected, s.returned, s.notice]);
  });

  it('MIIT lists what is at its stage: in review, in public notice, recognised or ended there', () => {
    expect(inSummary(j.atMiit, miit)).toBe(true);
    expect(inSummary(s.notice, miit)).toBe(true);
    expect(inSummary(app('RECOGNIZED', 'miit'), miit)).toBe(true);
    expect(inSummary(app('CANCELLED', 'miit'), miit)).toBe(true);
    expect(inSummary(j.awaitingBatch, miit)).toBe(false);
    expect(inSummary(j.rejected, miit)).toBe(false);
  });
});

describe('decisionZh', () => {
  it("names the level's own decision, per track", () => {
    expect(decisionZh({ status: 'MIIT_REVIEW', stage: 'miit' }, 'province', 'recommendation')).toBe('推荐');
    expect(decisionZh({ status: 'REJECTED', stage: 'miit' }, 'province', 'recommendation')).toBe('推荐');
    expect(decisionZh({ status: 'PROVINCE_REVIEW', stage: 'province' }, 'province', 'recommendation', true)).toBe(
      '推荐（待报送）',
    );
    expect(decisionZh({ status: 'PROVINCE_REVIEW', stage: 'province' }, 'province', 'recommendation')).toBe('待审核');
    expect(decisionZh({ status: 'REJECTED', stage: 'province' }, 'province', 'recommendation')).toBe('不予推荐');
    expect(decisionZh({ status: 'REJECTED', stage: 'miit' }, 'miit', 'recommendation')).toBe('不予认定');
    expect(decisionZh({ status: 'RETURNED', stage: 'city' }, 'city', 'recommendation')).toBe('退回修改');
    expect(decisionZh({ status: 'QUOTA_EXCEEDED', stage: 'province' }, 'province', 'recommendation')).toBe(
      '超出推荐名额',
    );
    expect(decisionZh({ status: 'PUBLIC_NOTICE', stage: 'miit' }, 'miit', 'recommendation')).toBe('拟认定（公示中）');
    expect(decisionZh({ status: 'RECOGNIZED', stage: 'miit' }, 'miit', 'rereview')).toBe('复核通过');
    expect(decisionZh({ status: 'REJECTED', stage: 'province' }, 'province', 'rereview')).toBe('复核不通过');
    expect(decisionZh({ status: 'RECOGNIZED', stage: 'miit' }, 'miit', 'typical-case')).toBe('入选');
    // A typical case's own outcomes at MIIT.
    expect(decisionZh({ status: 'SELECTED', stage: 'miit' }, 'miit', 'typical-case')).toBe('入选');
    expect(decisionZh({ status: 'NOT_SELECTED', stage: 'miit' }, 'miit', 'typical-case')).toBe('未入选');
  });
});

describe('the typical-case batch table of a gathering city (Anhui)', () => {
  const typical = (status: 'CITY_REVIEW' | 'PROVINCE_REVIEW', track: 'typical-case' | 'recommendation') =>
    app(status, status === 'CITY_REVIEW' ? 'city' : 'province', {
      campaignId: miit2024TypicalCases.campaignId,
      track,
      provincialCode: '340000',
      cityCode: '340100',
      countyCode: '340104',
    });

  it('lists the cases still waiting at the city (its batch) as well as those it sent on; not other tracks', () => {
    const hefei = summaryScope('340100', miit2024TypicalCases);
    expect(hefei).toMatchObject({ level: 'city', name: '安徽省合肥市' });
    expect(inSummary(typical('CITY_REVIEW', 'typical-case'), hefei)).toBe(true);
    expect(inSummary(typical('PROVINCE_REVIEW', 'typical-case'), hefei)).toBe(true);
    expect(inSummary(typical('CITY_REVIEW', 'recommendation'), hefei)).toBe(false);
  });
});

describe('buildSummaryTable', () => {
  it("lists a province's applications by its expert ranking, with the form's key figures", () => {
    const j = jilin();
    const table = buildSummaryTable({
      campaign,
      track: 'recommendation',
      scope: summaryScope('220000', campaign),
      applications: j.applications,
      scored: j.reviews,
    });
    expect(table.title).toBe('2025年中小企业特色产业集群推荐汇总表（吉林省）');
    expect(table.sheetName).toBe('推荐汇总表');
    expect(table.fileBaseName).toBe('2025年推荐汇总表（吉林省）-miit-2025-recommendation-220000');
    expect(table.columns.map((c) => c.zh)).toEqual([
      '序号',
      '集群名称',
      '所在地（省级）',
      '所在地（市）',
      '所在地（县）',
      '主导产业',
      '细分领域',
      '2022年产值（亿元）',
      '2023年产值（亿元）',
      '2024年产值（亿元）',
      '企业数量（家）',
      '其中中小企业（家）',
      '中小企业产值占比',
      '主导产业产值占比',
      '近三年年均增速',
      '集群面积（平方公里）',
      '同时推荐国家级',
      '推荐排序',
      '专家评审得分',
      '决定',
      '当前状态',
      '原因',
      '联系人',
      '联系电话',
      '提交时间',
    ]);
    expect(table.columns.every((c) => c.en.length > 0 && c.width > 0)).toBe(true);

    // Ranked first (88.25, 80, 61.5), then the unscored one; the other campaign, the draft and
    // what is still with a city are not listed.
    expect(table.rows.map((r) => [r.no, r.clusterName, r.rank, r.score])).toEqual([
      [1, '敦化市医药产业集群', 1, 88.25],
      [2, '梅河口市医药产业集群', 2, 80],
      [3, '大安市清洁能源装备产业集群', 3, 61.5],
      [4, '=HYPERLINK("http://evil.example","点击")', undefined, undefined],
    ]);
    expect(table.rows[0]).toEqual({
      no: 1,
      clusterName: '敦化市医药产业集群',
      province: '吉林省',
      city: '延边朝鲜族自治州',
      county: '敦化市',
      leadingIndustry: '医药',
      subSector: '中成药',
      output2022: 41.2,
      output2023: 46.8,
      output2024: 52.3,
      enterpriseCount: 126,
      smeCount: 118,
      smeOutputShare: 0.74,
      leadingIndustryShare: 0.81,
      averageGrowthRate: 0.127,
      areaKm2: 58.6,
      alsoNational: '是',
      rank: 1,
      score: 88.25,
      decision: '推荐',
      status: '工业和信息化部审核中',
      reason: undefined,
      contact: '李明',
      phone: '0433-6221234',
      submittedAt: '2025-04-01T10:30:00+08:00',
    });
    expect(table.rows[1]).toMatchObject({
      alsoNational: '否',
      county: '梅河口市、集安市',
      city: '通化市',
      decision: '推荐（待报送）',
      status: '省级审核中',
      averageGrowthRate: -0.05,
      phone: '+86 13812345678',
    });
    expect(table.rows[2]).toMatchObject({
      decision: '不予推荐',
      status: '未通过（省级审核）',
      reason: '2024年产值39亿元, 低于40亿元的门槛；\n"主导产业"占比不足',
    });
    expect(table.rows[3]).toMatchObject({ decision: '待审核', status: '省级审核中' });
  });

  it("ranks by the latest scored decision, and each province's order on its own in the national table", () => {
    const j = jilin();
    const s = shanxi();
    const beijing = app('RECOGNIZED', 'miit', {
      provincialCode: '110000',
      cityCode: undefined,
      countyCode: '110105',
      clusterName: '朝阳区文化创意产业集群',
    });
    const table = buildSummaryTable({
      campaign,
      track: 'recommendation',
      scope: summaryScope('000000', campaign),
      applications: [...j.applications, ...s.applications, beijing],
      // Shanxi's 清徐县装备 scored lower than Jilin's, but ranks first in Shanxi; a rescoring of
      // 敦化 (later) replaces its first score.
      scored: [
        ...j.reviews,
        scored(j.atMiit, 70, 'approve', '2025-06-25T00:00:00.000Z'),
        scored(s.notice, 50),
        scored(beijing, 99),
      ],
    });
    expect(table.title).toBe('2025年中小企业特色产业集群推荐汇总表（全国）');
    expect(table.rows.map((r) => [r.province, r.clusterName, r.rank, r.score, r.decision, r.city])).toEqual([
      ['北京市', '朝阳区文化创意产业集群', 1, 99, '认定', undefined],
      ['山西省', '清徐县装备产业集群', 1, 50, '拟认定（公示中）', '太原市'],
      // 敦化 rescored 70 ranks below 梅河口 (80) now.
      ['吉林省', '敦化市医药产业集群', 2, 70, '待审核', '延边朝鲜族自治州'],
    ]);
    // The city's "also national" statement: Jilin's rows only (its overlay asks), blank elsewhere.
    expect(table.columns.map((c) => c.key)).toContain('alsoNational');
    expect(table.rows.map((r) => r.alsoNational)).toEqual([undefined, undefined, '是']);
  });

  it('has no "also national" column where no province of the campaign asks its cities for one', () => {
    const noOneAsks = CampaignSchema.parse({
      ...campaign,
      overlays: campaign.overlays.map(({ provincialRecognition: _list, ...overlay }) => ({
        ...overlay,
        cityStatesAlsoNational: false,
      })),
    });
    expect(summaryColumns(noOneAsks, 'recommendation').map((c) => c.key)).not.toContain('alsoNational');
    expect(summaryColumns(miit2025Rereview, 'rereview').map((c) => c.key)).not.toContain('alsoNational');
  });

  it('gives a city its own table of what it decided', () => {
    const s = shanxi();
    const table = buildSummaryTable({
      campaign,
      track: 'recommendation',
      scope: summaryScope('140100', campaign),
      applications: s.applications,
      scored: [scored(s.notice, 90), scored(s.approved, 70)],
    });
    expect(table.title).toBe('2025年中小企业特色产业集群推荐汇总表（山西省太原市）');
    expect(table.rows.map((r) => [r.clusterName, r.rank, r.decision, r.status, r.reason])).toEqual([
      ['清徐县装备产业集群', 1, '推荐', '公示中', undefined],
      ['清徐县醋产业集群', 2, '推荐', '省级审核中', undefined],
      ['小店区软件产业集群', undefined, '不予推荐', '未通过（市级审核）', '现场核查不符'],
      ['清徐县葡萄产业集群', undefined, '退回修改', '退回修改（市级审核）', '请补充产值佐证'],
    ]);
  });

  it('re-review: 复核情况汇总表 with the year recognised; typical cases: their aspects, no figures', () => {
    const rereview = app('MIIT_REVIEW', 'miit', {
      campaignId: miit2025Rereview.campaignId,
      track: 'rereview',
      form: form({ recognizedYear: 2022, changesSinceRecognition: '……' }),
    });
    const rTable = buildSummaryTable({
      campaign: miit2025Rereview,
      track: 'rereview',
      scope: summaryScope('220000', miit2025Rereview),
      applications: [rereview],
      scored: [],
    });
    expect(rTable.title).toBe('2025年中小企业特色产业集群复核情况汇总表（吉林省）');
    expect(rTable.columns.map((c) => c.key)).toContain('recognizedYear');
    expect(rTable.rows[0]).toMatchObject({ recognizedYear: 2022, output2024: 52.3, decision: '复核通过' });

    const typical = app('PROVINCE_REVIEW', 'province', {
      campaignId: miit2024TypicalCases.campaignId,
      track: 'typical-case',
      provincialCode: '340000',
      cityCode: '340100',
      countyCode: '340104',
      clusterName: '蜀山区智能语音产业集群',
      form: {
        contact: { name: '张三', phone: '0551-6123456' },
        aspects: { innovation: '……', 'quality-brand': '……', 'green-transformation': '' },
        summary: '以智能语音为核心的协同创新案例',
      },
    });
    const tTable = buildSummaryTable({
      campaign: miit2024TypicalCases,
      track: 'typical-case',
      scope: summaryScope('340000', miit2024TypicalCases),
      applications: [typical],
      scored: [],
    });
    expect(tTable.title).toBe('2024年中小企业特色产业集群典型案例信息汇总表（安徽省）');
    expect(tTable.columns.map((c) => c.key)).not.toContain('output2023');
    expect(tTable.rows[0]).toMatchObject({
      aspects: '质量品牌、创新提升',
      summary: '以智能语音为核心的协同创新案例',
      contact: '张三',
      decision: '待审核',
    });
  });

  it('names the track in the file when the campaign has several', () => {
    const both = CampaignSchema.parse({
      ...structuredClone(miit2025Recommendation),
      tracks: { ...miit2025Recommendation.tracks, rereview: miit2025Rereview.tracks.rereview },
    });
    const table = buildSummaryTable({
      campaign: both,
      track: 'rereview',
      scope: summaryScope('220000', both),
      applications: [],
      scored: [],
    });
    expect(table.fileBaseName).toBe('2025年复核情况汇总表（吉林省）-miit-2025-recommendation-rereview-220000');
    expect(table.rows).toEqual([]);
    expect(summaryColumns(both, 'rereview')[7]?.key).toBe('recognizedYear');
  });
});

describe('the provincial track in the summary tables (Jilin, one pass for both lists)', () => {
  const table = (code: string, applications: ReturnType<typeof app>[]) =>
    buildSummaryTable({
      campaign,
      track: 'recommendation',
      scope: summaryScope(code, campaign),
      applications,
      scored: [],
    });
  const national = app('MIIT_REVIEW', 'miit', { clusterName: '敦化市医药产业集群', alsoNational: true });
  const provincial = app('PROVINCIALLY_RECOGNIZED', 'province', {
    clusterName: '敦化市人参产业集群',
    alsoNational: false,
  });
  /** 梅河口: no city; its statement was made at the province's first step. */
  const meihekou = app('MIIT_REVIEW', 'miit', {
    countyCode: '220581',
    cityCode: undefined,
    clusterName: '梅河口市医药产业集群',
    alsoNational: true,
  });

  it('gives a Jilin city (延边州) its own table of its candidates, with its statement', () => {
    expect(summaryScope('222400', campaign)).toMatchObject({ level: 'city', code: '222400', provincialCode: '220000' });
    const city = table('222400', [national, provincial, meihekou]);
    expect(city.title).toBe('2025年中小企业特色产业集群推荐汇总表（吉林省延边朝鲜族自治州）');
    expect(city.columns.map((c) => c.key)).toContain('alsoNational');
    expect(city.rows.map((r) => [r.clusterName, r.alsoNational])).toEqual([
      ['敦化市人参产业集群', '否'],
      ['敦化市医药产业集群', '是'],
    ]);
  });

  it("lists the province's own recognitions in its table; MIIT's lists the national candidates, direct senders' statement included", () => {
    const province = table('220000', [national, provincial, meihekou]);
    const row = province.rows.find((r) => r.clusterName === '敦化市人参产业集群');
    expect(row).toMatchObject({ status: '省级认定（未推荐国家级）', alsoNational: '否' });
    const miit = table('000000', [national, provincial, meihekou]);
    expect(new Map(miit.rows.map((r) => [r.clusterName, r.alsoNational]))).toEqual(
      new Map([
        ['敦化市医药产业集群', '是'],
        ['梅河口市医药产业集群', '是'],
      ]),
    );
  });
});
