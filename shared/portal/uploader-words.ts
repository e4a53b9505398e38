import type { Lang } from '../platform/pages/i18n.ts';
import type { Bilingual } from '../schemas/common.ts';

/**
 * What the evidence uploader says, in Chinese (the default) and English: the panel's own words
 * (rendered on the server) and the messages its script shows (handed to it in the panel's
 * `data-words`, in the page's language). `{name}` placeholders are filled by the script.
 */
export const UPLOADER_WORDS = {
  heading: { zh: '佐证材料', en: 'Evidence' },
  required: { zh: '必传', en: 'Required' },
  optional: { zh: '选传', en: 'Optional' },
  types: { zh: '格式', en: 'Types' },
  maxSize: { zh: '单个文件不超过', en: 'Each file at most' },
  maxFiles: { zh: '最多文件数', en: 'At most files' },
  byCounty: { zh: '由县（市、区）上传', en: 'Uploaded by the county' },
  byCity: { zh: '由市（州）上传', en: 'Uploaded by the city' },
  noFiles: { zh: '尚未上传文件', en: 'No file yet' },
  choose: { zh: '选择文件', en: 'Choose files' },
  dropHint: { zh: '或将文件拖放到此处', en: 'or drop files here' },
  notYours: { zh: '此项不由本单位上传', en: 'Another level uploads this item' },
  locked: { zh: '当前状态下不能修改佐证材料', en: 'Evidence cannot be changed in the current status' },
  PENDING: { zh: '校验中', en: 'Being checked' },
  VALID: { zh: '校验通过', en: 'Valid' },
  INVALID: { zh: '未通过校验', en: 'Invalid' },
  queued: { zh: '等待上传', en: 'Waiting to upload' },
  hashing: { zh: '正在计算校验值', en: 'Computing checksum' },
  uploading: { zh: '正在上传', en: 'Uploading' },
  failed: { zh: '上传失败', en: 'Upload failed' },
  retry: { zh: '重试', en: 'Retry' },
  replace: { zh: '替换', en: 'Replace' },
  remove: { zh: '删除', en: 'Remove' },
  removing: { zh: '正在删除', en: 'Removing' },
  removeFailed: { zh: '删除失败', en: 'Could not remove' },
  progress: { zh: '上传进度', en: 'Upload progress' },
  wrongType: {
    zh: '“{name}”的格式不符合要求：本项只接受 {types}',
    en: '“{name}” is not an accepted type: this item takes {types}',
  },
  tooLarge: {
    zh: '“{name}”为 {size}，超过本项上限 {max}，请压缩或拆分后再上传',
    en: '“{name}” is {size}, over this item’s {max} limit; compress or split it first',
  },
  empty: { zh: '“{name}”是空文件（0 字节）', en: '“{name}” is empty (0 bytes)' },
  tooMany: {
    zh: '本项最多 {max} 个文件，请先删除不需要的文件',
    en: 'This item takes at most {max} files; remove one first',
  },
  /** A file that did not arrive before the deadline: no retry can make it in time. */
  late: {
    zh: '截止时间 {deadline} 已过，逾期不予受理：本文件未被接收，不能再上传',
    en: 'The deadline, {deadline}, has passed: late files are not accepted (逾期不予受理), and this one was not received',
  },
} as const satisfies Record<string, Bilingual>;

export type UploaderWord = keyof typeof UPLOADER_WORDS;

/** Every word in one language, for the script. */
export function uploaderWords(lang: Lang): Record<UploaderWord, string> {
  return Object.fromEntries(Object.entries(UPLOADER_WORDS).map(([key, words]) => [key, words[lang]])) as Record<
    UploaderWord,
    string
  >;
}

/** Bytes as people read them: KB under a MiB, else MB with one decimal (the same in the script). */
export function fileSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.ceil(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
