import { describe, expect, it } from 'vitest';
import { sniff } from '../../../shared/validation/sniff.ts';
import { jpeg, png, windowsExecutable } from '../../fixtures/files.ts';

describe('sniff', () => {
  it.each([
    ['%PDF-1.7\n', 'pdf', 'pdf'],
    ['PK\x03\x04\x14\x00', 'zip', 'zip'],
    ['PK\x05\x06\x00\x00', 'other', 'zip'],
    ['\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1', 'other', 'ole2'],
    ['GIF89a', 'other', 'gif'],
    ['RIFF\x00\x00\x00\x00WEBPVP8 ', 'other', 'webp'],
    ['Rar!\x1a\x07\x01\x00', 'other', 'rar'],
    ['\x7fELF\x02', 'other', 'elf'],
    ['<html><body>', 'other', 'unknown'],
    [' %PDF-1.7', 'other', 'unknown'],
  ])('%j is %s (%s)', (head, family, label) => {
    expect(sniff(Buffer.from(head, 'latin1'))).toEqual({ family, label });
  });

  it('recognises the generated images and executables', () => {
    expect(sniff(jpeg())).toEqual({ family: 'jpeg', label: 'jpeg' });
    expect(sniff(png())).toEqual({ family: 'png', label: 'png' });
    expect(sniff(windowsExecutable())).toEqual({ family: 'other', label: 'exe' });
  });

  it('needs the whole signature', () => {
    expect(sniff(Buffer.from('%PDF'))).toEqual({ family: 'other', label: 'unknown' });
    expect(sniff(Buffer.from([0xff, 0xd8]))).toEqual({ family: 'other', label: 'unknown' });
  });
});
