import { describe, expect, it } from 'vitest';
import { matchCounty } from '../../../shared/register/county-match.ts';
import { normaliseClusterName, registerEntryId } from '../../../shared/register/entry.ts';

describe('the county matcher (GB/T 2260)', () => {
  it.each([
    ['吉林省', '敦化市医药产业集群', '222403'],
    ['北京市', '北京市丰台区轨道交通智能控制', '110106'],
    ['北京', '大兴区医疗器械', '110115'],
    ['江苏省', '江苏省南京市江宁区智能配电设备', '320115'],
    // A city named as its province is (吉林市 of 吉林省), not the province's short name.
    ['吉林省', '吉林市龙潭区纺织服装产业集群', '220203'],
    // A planned city's district: placed in its administrative province.
    ['山东省', '青岛市崂山区海洋产业集群', '370212'],
    ['新疆生产建设兵团', '石河子市纺织产业集群', '659001'],
  ])('places %s %s by the name’s opening place names: %s', (province, clusterName, code) => {
    expect(matchCounty({ province, clusterName })).toMatchObject({ ok: true, countyCode: code, by: 'name' });
  });

  it('refuses a name that could be two counties rather than guess (南京 and 徐州 each have a 鼓楼区)', () => {
    expect(matchCounty({ province: '江苏省', clusterName: '鼓楼区软件产业集群' })).toEqual({
      ok: false,
      field: 'clusterName',
      code: 'ambiguous_county',
      said: {
        zh: '集群名称可能指鼓楼区 320302、鼓楼区 320106，请增加区县或区县代码列',
        en: 'the name could place it in 鼓楼区 320302、鼓楼区 320106: add a 区县 or 区县代码 column',
      },
    });
    expect(matchCounty({ province: '江苏省', clusterName: '南京市鼓楼区软件产业集群' })).toMatchObject({
      countyCode: '320106',
    });
  });

  it('does not read a city’s name as a county of the same short name (通化市 is not 通化县)', () => {
    // The province's walk: 通化市医药产业集群 was entered in 通化县, whose short name is 通化.
    expect(matchCounty({ province: '吉林省', clusterName: '通化市医药产业集群' })).toMatchObject({
      ok: false,
      code: 'county_not_in_name',
    });
    expect(matchCounty({ province: '吉林省', clusterName: '通化县医药产业集群' })).toMatchObject({
      countyCode: '220521',
    });
    expect(matchCounty({ province: '吉林省', clusterName: '通化医药产业集群' })).toMatchObject({
      countyCode: '220521',
    });
    expect(matchCounty({ province: '吉林省', clusterName: '通化市东昌区医药产业集群' })).toMatchObject({
      countyCode: '220502',
    });
  });

  it('takes a 区县 column, or a 区县代码 column, before the name', () => {
    expect(matchCounty({ province: '吉林省', clusterName: '医药产业集群', county: '敦化市' })).toMatchObject({
      countyCode: '222403',
      by: 'county',
    });
    expect(matchCounty({ province: '吉林省', clusterName: '医药产业集群', countyCode: '222403' })).toMatchObject({
      countyCode: '222403',
      by: 'code',
    });
  });

  it('names what is wrong: an unknown province, a code elsewhere, a name without a county', () => {
    expect(matchCounty({ province: '东海省', clusterName: '敦化市医药' })).toMatchObject({
      code: 'unknown_province',
      field: 'province',
    });
    expect(matchCounty({ province: '江苏省', clusterName: '医药', countyCode: '222403' })).toEqual({
      ok: false,
      field: 'countyCode',
      code: 'county_outside_province',
      said: {
        zh: '敦化市 222403不在江苏省，请核对省份或区县代码',
        en: '敦化市 222403 is not in 江苏省: check the province or the code',
      },
    });
    expect(matchCounty({ province: '吉林省', clusterName: '医药', countyCode: '220100' })).toMatchObject({
      code: 'unknown_county_code',
    });
    expect(matchCounty({ province: '吉林省', clusterName: '长春市汽车产业集群' })).toMatchObject({
      code: 'county_not_in_name',
    });
    expect(matchCounty({ province: '吉林省', clusterName: '医药', county: '大兴区' })).toMatchObject({
      code: 'unknown_county',
    });
  });

  it('gives one natural key however the list spells the name (place prefix, suffix, full-width)', () => {
    expect(normaliseClusterName('敦化市医药产业集群', '222403')).toBe('医药');
    const key = (clusterName: string) =>
      registerEntryId({ level: 'national', cohort: 2023, countyCode: '320115', clusterName });
    expect(key('江苏省南京市江宁区智能配电设备')).toBe('national#2023#320115#智能配电设备');
    expect(key('南京市江宁区 智能配电设备产业集群')).toBe(key('智能配电设备集群'));
    expect(key('江宁区智能配电设备')).not.toBe(key('江宁区智能电网'));
  });
});
