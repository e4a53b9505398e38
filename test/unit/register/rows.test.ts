import { describe, expect, it } from 'vitest';
import { parseListRows } from '../../../shared/register/rows.ts';
import { parseCsv, readSheet } from '../../../shared/register/sheet.ts';

const sheet = (text: string) => parseCsv(text);

describe('the row parser (the published lists’ layout)', () => {
  it('finds the header under the list’s title and numbers rows as a spreadsheet does', () => {
    const parsed = parseListRows(
      sheet(
        '2023年度中小企业特色产业集群名单\n序号,省份,集群名称,主导产业\n1,吉林省,敦化市医药产业集群,医药\n\n2,北京市,北京市大兴区医疗器械,医疗器械\n',
      ),
    );
    expect(parsed.headerRow).toBe(2);
    expect(parsed.refusals).toEqual([]);
    expect(parsed.rows).toEqual([
      { row: 3, province: '吉林省', clusterName: '敦化市医药产业集群', leadingIndustry: '医药', subSector: '' },
      { row: 5, province: '北京市', clusterName: '北京市大兴区医疗器械', leadingIndustry: '医疗器械', subSector: '' },
    ]);
  });

  it('splits the combined 主导产业/细分领域 column and reads full-width text as half-width', () => {
    const parsed = parseListRows(
      sheet('序号,省份,集群名称,主导产业/细分领域\n1,吉林省,敦化市医药产业集群,医药／化学药品制剂\n'),
    );
    expect(parsed.rows[0]).toMatchObject({ leadingIndustry: '医药', subSector: '化学药品制剂' });
  });

  it('names the row, the column as the list heads it, a code and why, for each problem', () => {
    const parsed = parseListRows(
      sheet(`序号,省份,集群名称,主导产业,区县代码\n1,吉林省,,医药,\n2,吉林省,敦化市医药,${'药'.repeat(51)},2224\n`),
    );
    expect(parsed.rows).toEqual([]);
    expect(parsed.refusals).toEqual([
      {
        row: 2,
        column: '集群名称',
        code: 'required',
        message: '集群名称为空，请填写集群名称 / 集群名称 is empty: fill it in',
        zh: '集群名称为空，请填写集群名称',
        en: '集群名称 is empty: fill it in',
      },
      {
        row: 3,
        column: '主导产业',
        code: 'too_big',
        message:
          '主导产业超过50个字，请删减到50个字以内 / 主导产业 is longer than 50 characters: shorten it to 50 at most',
        zh: '主导产业超过50个字，请删减到50个字以内',
        en: '主导产业 is longer than 50 characters: shorten it to 50 at most',
      },
      {
        row: 3,
        column: '区县代码',
        code: 'invalid_format',
        message:
          '区县代码应为6位数字（GB/T 2260），如222403，请更正或留空 / 区县代码 must be six digits (GB/T 2260), e.g. 222403: correct it or leave it empty',
        zh: '区县代码应为6位数字（GB/T 2260），如222403，请更正或留空',
        en: '区县代码 must be six digits (GB/T 2260), e.g. 222403: correct it or leave it empty',
      },
    ]);
  });

  it('refuses a file without the layout’s header, or without an industry column', () => {
    expect(parseListRows(sheet('a,b,c\n1,2,3\n')).refusals).toEqual([
      expect.objectContaining({ row: 1, code: 'missing_header' }),
    ]);
    expect(parseListRows(sheet('序号,省份,集群名称\n1,吉林省,敦化市医药\n')).refusals).toEqual([
      expect.objectContaining({ row: 1, code: 'missing_column', column: '主导产业 / 主导产业/细分领域' }),
    ]);
  });

  it('reads quoted CSV fields (commas, quotes, line breaks) and keeps the record’s first line as its row', () => {
    expect(parseCsv('a,"b,""c""\nd"\r\ne,f\n')).toEqual([
      { row: 1, cells: ['a', 'b,"c"\nd'] },
      { row: 3, cells: ['e', 'f'] },
    ]);
  });

  it('reads a CSV saved by Excel in Chinese (GB 18030) as well as UTF-8 with a BOM', async () => {
    const gbk = Buffer.from([0xd0, 0xf2, 0xba, 0xc5, 0x2c, 0xca, 0xa1, 0xb7, 0xdd]); // 序号,省份
    expect((await readSheet('csv', gbk))[0]?.cells).toEqual(['序号', '省份']);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('序号,省份')]);
    expect((await readSheet('csv', bom))[0]?.cells).toEqual(['序号', '省份']);
  });

  it('refuses bytes that are not a workbook as XLSX, naming the content', async () => {
    await expect(readSheet('xlsx', Buffer.from('not a zip'))).rejects.toMatchObject({
      status: 400,
      details: [{ field: 'content', code: 'unreadable_xlsx' }],
    });
  });
});
