import { describe, expect, it } from 'vitest';
import { FINDING_CODES, MESSAGES, messageFor } from '../../../shared/validation/messages.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it.each(FINDING_CODES)('%s reads in Chinese and English with the same placeholders', (code) => {
    const { zh, en } = MESSAGES[code];
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(en).toMatch(/^[\x20-\x7e“”’×]+$/);
    expect(placeholders(zh)).toEqual(placeholders(en));
  });

  it('tells an official refused for a DDE link or formula how to keep the results, naming WPS’s EVALUATE', () => {
    const { zh, en } = messageFor('OOXML_DDE', { where: 'xl/worksheets/sheet1.xml formula EVALUATE' });
    expect(zh).toContain('xl/worksheets/sheet1.xml formula EVALUATE');
    expect(zh).toContain('选择性粘贴');
    expect(zh).toContain('WPS');
    expect(en).toContain('Paste Special > Values');
  });

  it('fills placeholders from the detail', () => {
    expect(messageFor('SIZE_MISMATCH', { actual: 10, declared: 12 })).toEqual({
      zh: '上传的文件大小（10 字节）与申报的大小（12 字节）不一致，文件可能在上传中损坏，请重新上传',
      en: 'The uploaded file has 10 bytes but 12 bytes were declared; it may have been damaged in transit. Upload it again.',
    });
  });
});
