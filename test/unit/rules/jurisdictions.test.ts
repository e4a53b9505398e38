import { describe, expect, it } from 'vitest';
import { UnknownJurisdictionError } from '../../../shared/platform/errors.ts';
import {
  CHANGBAISHAN_CODE,
  childrenOf,
  findJurisdiction,
  getJurisdiction,
  MIIT_CODE,
  parentChain,
  provincialJurisdictions,
  provincialLevelOf,
  reviewChain,
  XPCC_CODE,
} from '../../../shared/rules/jurisdictions.ts';

const stages = (code: string) => reviewChain(code).map((s) => `${s.stage}:${s.jurisdictionCode}`);

describe('reviewChain', () => {
  it('climbs county → city → province → MIIT for an ordinary county (敦化市)', () => {
    expect(reviewChain('222403')).toEqual([
      { stage: 'city', jurisdictionCode: '222400', name: '延边朝鲜族自治州' },
      { stage: 'province', jurisdictionCode: '220000', name: '吉林省' },
      { stage: 'miit', jurisdictionCode: MIIT_CODE, name: '工业和信息化部' },
    ]);
  });

  it('skips the city stage for a Beijing district', () => {
    expect(stages('110105')).toEqual(['province:110000', 'miit:000000']);
    expect(reviewChain('110105')[0]?.name).toBe('北京市');
  });

  it('skips the city stage for Chongqing districts and counties alike', () => {
    expect(stages('500229')).toEqual(['province:500000', 'miit:000000']); // 城口县
    expect(stages('500101')).toEqual(['province:500000', 'miit:000000']); // 万州区
  });

  it('gives a planned city the province stage, not its province (深圳 南山区, 青岛 胶州市)', () => {
    expect(stages('440305')).toEqual(['province:440300', 'miit:000000']);
    expect(stages('370281')).toEqual(['province:370200', 'miit:000000']);
  });

  it('sends an XPCC 师市 to the XPCC', () => {
    expect(reviewChain('659001')).toEqual([
      { stage: 'province', jurisdictionCode: XPCC_CODE, name: '新疆生产建设兵团' },
      { stage: 'miit', jurisdictionCode: MIIT_CODE, name: '工业和信息化部' },
    ]);
  });

  it('has no city stage for counties directly under a province', () => {
    expect(stages('469001')).toEqual(['province:460000', 'miit:000000']); // 五指山市, 海南
    expect(stages('419001')).toEqual(['province:410000', 'miit:000000']); // 济源市
    expect(stages('429004')).toEqual(['province:420000', 'miit:000000']); // 仙桃市
  });

  it('lets a city without counties apply itself, straight to its province (东莞, 嘉峪关)', () => {
    expect(stages('441900')).toEqual(['province:440000', 'miit:000000']);
    expect(stages('620200')).toEqual(['province:620000', 'miit:000000']);
    expect(getJurisdiction('441900')).toMatchObject({ level: 'city', applicant: true });
    expect(childrenOf('441900')).toEqual([]);
  });

  it('throws UnknownJurisdictionError for unknown codes and for codes that cannot apply', () => {
    expect(() => reviewChain('999999')).toThrow(UnknownJurisdictionError);
    expect(() => reviewChain('220000')).toThrow(UnknownJurisdictionError); // a province
    expect(() => reviewChain('222400')).toThrow(UnknownJurisdictionError); // a prefecture with counties
    expect(() => reviewChain('440300')).toThrow(UnknownJurisdictionError); // a planned city
    expect(() => reviewChain('110100')).toThrow(UnknownJurisdictionError); // collapsed 市辖区 row
    expect(() => reviewChain('441900003')).toThrow(UnknownJurisdictionError); // a town
  });
});

describe('the tree', () => {
  it('normalises codes to six digits and collapses municipal 市辖区/县 rows', () => {
    expect(getJurisdiction('220000')).toMatchObject({ name: '吉林省', level: 'province', rank: 'province' });
    expect(getJurisdiction('222400')).toMatchObject({ level: 'city', rank: 'city', parentCode: '220000' });
    expect(getJurisdiction('110105')).toMatchObject({ level: 'county', parentCode: '110000' });
    expect(getJurisdiction('500229').parentCode).toBe('500000');
    expect(findJurisdiction('110100')).toBeUndefined();
    expect(findJurisdiction('500200')).toBeUndefined();
    expect(findJurisdiction('469000')).toBeUndefined();
    expect(childrenOf('500000')).toHaveLength(38); // 26 districts + 12 counties
  });

  it('ranks municipalities, planned cities and the XPCC as provincial', () => {
    expect(getJurisdiction('310000').rank).toBe('municipality');
    for (const code of ['210200', '370200', '330200', '350200', '440300']) {
      expect(getJurisdiction(code)).toMatchObject({ level: 'city', rank: 'planned-city' });
    }
    expect(getJurisdiction(XPCC_CODE)).toMatchObject({
      name: '新疆生产建设兵团',
      level: 'province',
      rank: 'xpcc',
    });
    expect(provincialJurisdictions()).toHaveLength(31 + 5 + 1);
  });

  it('gives the parent chain up to the provincial-rank level', () => {
    expect(parentChain('222403').map((j) => j.code)).toEqual(['222403', '222400', '220000']);
    expect(parentChain('370281').map((j) => j.code)).toEqual(['370281', '370200']);
    expect(parentChain('220000').map((j) => j.code)).toEqual(['220000']);
    expect(() => parentChain('000001')).toThrow(UnknownJurisdictionError);
  });

  it('names who holds the provincial quota', () => {
    expect(provincialLevelOf('222403').code).toBe('220000');
    expect(provincialLevelOf('440305').code).toBe('440300');
    expect(provincialLevelOf('440106').code).toBe('440000'); // 广州 天河区: Guangdong, not Shenzhen
    expect(provincialLevelOf('659001').code).toBe(XPCC_CODE);
  });

  it('lists the XPCC 师市 under the XPCC, not under 新疆', () => {
    const xpcc = childrenOf(XPCC_CODE).map((j) => j.code);
    expect(xpcc).toContain('659001');
    expect(xpcc.every((code) => code.startsWith('6590'))).toBe(true);
    expect(childrenOf('650000').map((j) => j.code)).not.toContain('659001');
  });

  it('throws UnknownJurisdictionError from getJurisdiction and childrenOf', () => {
    expect(() => getJurisdiction('123456')).toThrow(UnknownJurisdictionError);
    expect(() => childrenOf('123456')).toThrow(UnknownJurisdictionError);
  });
});

describe('western flags', () => {
  it.each([
    ['150000', true], // 内蒙古
    ['450100', true], // 南宁
    ['500229', true], // 重庆 城口县
    ['510104', true], // 成都 锦江区
    ['540102', true], // 拉萨 城关区
    ['650102', true], // 乌鲁木齐 天山区
    ['659001', true], // 石河子 (XPCC)
    [XPCC_CODE, true],
    ['222403', false], // 吉林 敦化
    ['110105', false], // 北京
    ['440305', false], // 深圳
    ['469001', false], // 海南
  ])('%s western = %s', (code, western) => {
    expect(getJurisdiction(code).western).toBe(western);
  });
});

describe('codes that are not GB/T 2260 administrative divisions (docs/jurisdictions.md)', () => {
  it('holds the 124 statistical development-zone codes (fifth digit 7) as applicants under their cities', () => {
    const zones = provincialJurisdictions()
      .flatMap((p) => childrenOf(p.code))
      .flatMap((city) => (city.rank === 'city' ? childrenOf(city.code) : []))
      .filter((j) => j.code[4] === '7' && j.code !== CHANGBAISHAN_CODE);
    expect(zones).toHaveLength(124);
    expect(zones.every((zone) => zone.applicant && zone.level === 'county')).toBe(true);
    expect(getJurisdiction('140171')).toMatchObject({ name: '山西转型综合改革示范区', parentCode: '140100' });
  });

  it('adds 长白山管委会 under Jilin with the programme’s own code, its chain the province only', () => {
    expect(getJurisdiction(CHANGBAISHAN_CODE)).toMatchObject({
      code: '229901',
      level: 'county',
      parentCode: '220000',
      applicant: true,
    });
    expect(stages(CHANGBAISHAN_CODE)).toEqual(['province:220000', `miit:${MIIT_CODE}`]);
    expect(childrenOf('220000').map((j) => j.code)).toContain(CHANGBAISHAN_CODE);
  });
});
