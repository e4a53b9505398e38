import type { Bilingual } from '../schemas/common.ts';

/**
 * What a county official reads when an evidence file is refused, in Chinese and English.
 * `{name}` placeholders are filled from the finding's `detail`; the type system makes every
 * caller supply them (see `DetailArgs`), and zh and en must use the same ones (a test checks).
 */
export const MESSAGES = {
  EMPTY: {
    zh: '文件为空（0 字节），请重新上传完整的文件',
    en: 'The file is empty (0 bytes). Upload the complete file again.',
  },
  TOO_LARGE: {
    zh: '文件超过大小上限 {limitMiB} MB，请压缩或拆分后重新上传',
    en: 'The file is larger than the {limitMiB} MB limit. Compress or split it and upload again.',
  },
  SIZE_MISMATCH: {
    zh: '上传的文件大小（{actual} 字节）与申报的大小（{declared} 字节）不一致，文件可能在上传中损坏，请重新上传',
    en: 'The uploaded file has {actual} bytes but {declared} bytes were declared; it may have been damaged in transit. Upload it again.',
  },
  CHECKSUM_MISMATCH: {
    zh: '文件的 SHA-256 校验值与申报值不一致，文件可能已损坏或被替换，请重新上传',
    en: "The file's SHA-256 checksum differs from the declared one; it may be damaged or replaced. Upload it again.",
  },
  TYPE_MISMATCH: {
    zh: '文件的实际格式（{detected}）与所选类型（{expected}）不符，请上传真正的 {expected} 文件，仅修改扩展名无效',
    en: "The file's actual format ({detected}) does not match the selected type ({expected}). Upload a genuine {expected} file; renaming the extension is not enough.",
  },
  OFFICE_PASSWORD: {
    zh: '文件设置了打开密码（已加密），审核人员无法打开。请在 Office 中打开文件，依次点击“文件”→“信息”→“保护文档”（Excel 为“保护工作簿”）→“用密码进行加密”，清空密码后点“确定”并保存（WPS 为“文件”→“文档加密”→“密码加密”，清空打开密码后保存），然后重新上传',
    en: 'The file is password-protected (encrypted), so reviewers cannot open it. Open it in Office, choose File > Info > Protect Document (in Excel, Protect Workbook) > Encrypt with Password, clear the password, press OK and save (in WPS: File > Document Encryption > Password Encryption, clear the open password and save), then upload it again.',
  },
  OFFICE_OLD_FORMAT: {
    zh: '文件是旧版 {format} 格式（Office 97–2003 或 WPS 的旧格式），无法审核。请在 Office 或 WPS 中打开，用“文件”→“另存为”保存为 {saveAs} 格式后重新上传，仅修改扩展名无效',
    en: 'The file is in the old {format} format (Office 97-2003, or an older WPS format), which cannot be checked. Open it in Office or WPS, use File > Save As to save it as {saveAs}, and upload that; renaming the extension is not enough.',
  },
  POLYGLOT: {
    zh: '文件中夹带了另一种格式（{format}）的数据，可能被其他软件当作别的文件打开，请用原软件重新导出后上传',
    en: 'The file also carries data of another format ({format}) that other programs could open. Re-export it from the original application and upload again.',
  },
  TRAILING_DATA: {
    zh: '文件内容结束后还有 {bytes} 字节的多余数据，请用原软件重新导出后上传',
    en: "There are {bytes} unexpected bytes after the end of the file's content. Re-export it from the original application and upload again.",
  },
  PDF_NO_HEADER: {
    zh: 'PDF 文件开头缺少标准的“%PDF-”文件头，请重新导出 PDF 后上传',
    en: 'The PDF does not start with the standard “%PDF-” header. Export the PDF again and upload it.',
  },
  PDF_TRUNCATED: {
    zh: 'PDF 文件不完整（末尾缺少 %%EOF 结束标记），可能上传中断，请重新上传',
    en: 'The PDF is incomplete (its %%EOF end marker is missing); the upload may have been cut off. Upload it again.',
  },
  PDF_ENCRYPTED: {
    zh: 'PDF 文件需要输入密码才能打开，审核人员无法查看。请用密码打开后另存为不加密的副本（或用“打印为 PDF”重新生成）再上传',
    en: 'The PDF asks for a password to open, so reviewers cannot read it. Open it with its password and save an unprotected copy (or use “Print to PDF”), then upload that.',
  },
  PDF_SCRIPT: {
    zh: 'PDF 文件包含可自动运行的内容（{feature}），存在安全风险，请用“打印为 PDF”等方式重新生成不含脚本的文件后上传',
    en: 'The PDF contains content that runs by itself ({feature}), a security risk. Produce it again without scripts (for example with “Print to PDF”) and upload it.',
  },
  PDF_ATTACHMENT: {
    zh: 'PDF 文件中夹带了附件（{feature}），审核人员无法核验，请将附件作为单独的佐证材料上传，并重新生成不含附件的 PDF',
    en: 'The PDF carries attached files ({feature}) that reviewers cannot check. Upload each attachment as evidence of its own and produce the PDF again without attachments.',
  },
  PDF_ACTION: {
    zh: 'PDF 文件包含打开时自动执行或提交数据的动作（{feature}），存在安全风险，请用“打印为 PDF”等方式重新生成后上传',
    en: 'The PDF contains actions that run by themselves or send data ({feature}), a security risk. Produce it again (for example with “Print to PDF”) and upload it.',
  },
  PDF_UNREADABLE: {
    zh: 'PDF 文件的内部结构无法完整读取（{reason}），无法确认其安全，请用原软件重新导出 PDF 后上传',
    en: "The PDF's internal structure cannot be read completely ({reason}), so it cannot be checked. Export the PDF again from the original application and upload it.",
  },
  ZIP_MALFORMED: {
    zh: '文件内部结构损坏或不规范，无法安全读取，请用 Office、WPS 或原软件重新保存后上传',
    en: "The file's internal structure is damaged or non-standard and cannot be read safely. Re-save it in Office, WPS or the original application and upload again.",
  },
  ZIP_UNSUPPORTED: {
    zh: '文件使用了不支持的压缩方式（{feature}），请用 Office、WPS 或原软件重新保存后上传',
    en: 'The file uses an unsupported archive feature ({feature}). Re-save it in Office, WPS or the original application and upload again.',
  },
  ZIP_TOO_MANY_ENTRIES: {
    zh: '文件内部包含的部件过多（超过 {limit} 个），请精简后重新上传',
    en: 'The file contains too many internal parts (more than {limit}). Simplify it and upload again.',
  },
  ZIP_BOMB: {
    zh: '文件解压后的体积异常巨大（疑似“压缩炸弹”），已拒绝处理',
    en: 'The file expands to an abnormally large size when decompressed (a suspected “zip bomb”) and was rejected.',
  },
  ZIP_UNSAFE_PATH: {
    zh: '文件内部含有不安全的路径（{name}），已拒绝处理',
    en: 'The file contains an unsafe internal path ({name}) and was rejected.',
  },
  ZIP_SYMLINK: {
    zh: '文件内部含有符号链接（{name}），已拒绝处理',
    en: 'The file contains a symbolic link ({name}) and was rejected.',
  },
  ZIP_ENCRYPTED: {
    zh: '文件已加密或设置了打开密码，审核人员无法打开，请取消密码后重新上传',
    en: 'The file is encrypted or password-protected; reviewers cannot open it. Remove the password and upload again.',
  },
  MACROS: {
    zh: '文件包含宏代码，存在安全风险，请另存为不含宏的 .docx 或 .xlsx 格式后上传',
    en: 'The file contains macros, which are a security risk. Save it as a macro-free .docx or .xlsx file and upload again.',
  },
  OOXML_EXTERNAL: {
    zh: '文件引用了外部资源（{kind}：{target}），打开时会自动访问外部地址或文件，存在安全风险，请删除外部引用后重新保存上传',
    en: 'The file refers to an outside resource ({kind}: {target}) that opening it would reach out to, a security risk. Remove the reference, save and upload again.',
  },
  OOXML_EMBEDDED_OBJECT: {
    zh: '文件中嵌入了可执行的对象（{kind}），存在安全风险，请删除嵌入对象（可改为图片）后重新保存上传',
    en: 'The file embeds an active object ({kind}), a security risk. Remove it (a picture of it will do), save and upload again.',
  },
  OOXML_DDE: {
    zh: '文件包含动态数据交换（DDE）链接或可运行其他程序的公式（{where}，如 WPS 表格中计算算式的 EVALUATE），打开时可能运行其他程序，已拒绝处理。请删除该链接，或选中含此类公式的单元格，复制后用“选择性粘贴”→“数值”替换为计算结果，保存后重新上传',
    en: 'The file contains a dynamic data exchange (DDE) link or a formula that can start other programs ({where}; for example EVALUATE, which WPS Spreadsheets uses to compute written-out expressions), and was rejected. Remove the link, or copy the cells holding such formulas and use Paste Special > Values to keep only their results, save, and upload again.',
  },
  OOXML_UNREADABLE: {
    zh: '文件内部部件（{part}）无法完整读取，无法确认其安全，请用 Office 或 WPS 重新保存后上传',
    en: 'An internal part of the file ({part}) cannot be read completely, so the file cannot be checked. Re-save it in Office or WPS and upload again.',
  },
  EMBEDDED_EXECUTABLE: {
    zh: '文件内部夹带了可执行程序或脚本（{name}），已拒绝处理',
    en: 'The file carries an executable program or script inside it ({name}) and was rejected.',
  },
  OFD_ATTACHMENT: {
    zh: 'OFD 文件中夹带了附件（{name}），审核人员无法核验，请将附件作为单独的佐证材料上传，并重新生成不含附件的 OFD',
    en: 'The OFD file carries attached files ({name}) that reviewers cannot check. Upload each attachment as evidence of its own and produce the OFD again without attachments.',
  },
  OFD_ACTION: {
    zh: 'OFD 文件包含打开时自动执行或播放的动作（{feature}），存在安全风险，请重新生成不含动作的文件后上传',
    en: 'The OFD file contains actions that run or play by themselves ({feature}), a security risk. Produce it again without actions and upload it.',
  },
  OFD_NO_ROOT: {
    zh: 'OFD 文件缺少根文件 OFD.xml，不是有效的 OFD 文档，请重新导出后上传',
    en: 'The OFD file lacks its OFD.xml root entry, so it is not a valid OFD document. Export it again and upload.',
  },
  OOXML_NOT_DOCUMENT: {
    zh: '文件不是有效的 {expected} 文档（缺少必需的内部部件），请用 Office 或 WPS 重新保存后上传',
    en: 'The file is not a valid {expected} document (required internal parts are missing). Re-save it in Office or WPS and upload again.',
  },
  IMAGE_MALFORMED: {
    zh: '图片文件损坏或不完整，请重新导出后上传',
    en: 'The image is damaged or incomplete. Export it again and upload.',
  },
  IMAGE_TOO_MANY_PIXELS: {
    zh: '图片尺寸过大（{width}×{height} 像素），请缩小到 {limitMegapixels} 百万像素以内后上传',
    en: 'The image is too large ({width}×{height} pixels). Reduce it to at most {limitMegapixels} megapixels and upload again.',
  },
  IMAGE_MOTION_PHOTO: {
    zh: '这是一张“动态照片”，照片后附带了 {bytes} 字节的短视频，无法作为图片审核。请在手机相机中关闭“动态照片”（三星、谷歌 Pixel 等）后重新拍摄，或在相册中将其另存为静态照片后上传',
    en: 'This is a motion photo: {bytes} bytes of video follow the picture, which cannot be reviewed as an image. Turn off Motion Photo in the phone’s camera (Samsung, Google Pixel and others) and take the photo again, or save it as a still photo from the gallery, and upload that.',
  },
  // Warnings: shown to reviewers beside a VALID file, never a reason to refuse it.
  EXTERNAL_LINK: {
    zh: '文件中含有指向外部的超链接（{target}），请勿随意点击不明链接',
    en: 'The file contains a hyperlink to {target}; do not follow links you do not trust.',
  },
  OFD_ATTACHED_DATA: {
    zh: 'OFD 文件附带了结构化数据附件（{name}，XML 格式，如电子发票的票面数据），已核验其仅为数据；审核时请以版式页面为准',
    en: 'The OFD file carries an attached data file ({name}, XML, such as an e-invoice’s structured data), checked to be data only; review the pages as shown.',
  },
} as const satisfies Record<string, Bilingual>;

export type FindingCode = keyof typeof MESSAGES;
export const FINDING_CODES = Object.keys(MESSAGES) as FindingCode[];

export type FindingDetail = Record<string, string | number | boolean>;

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer K}}${infer Rest}` ? K | Placeholders<Rest> : never;
export type MessageParams<C extends FindingCode> = Placeholders<(typeof MESSAGES)[C]['en']>;

/** A code whose message has placeholders requires a detail that fills them. */
export type DetailArgs<C extends FindingCode> = [MessageParams<C>] extends [never]
  ? [detail?: FindingDetail]
  : [detail: FindingDetail & Record<MessageParams<C>, string | number>];

export function messageFor(code: FindingCode, detail: FindingDetail = {}): Bilingual {
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in detail ? String(detail[key]) : whole));
  const { zh, en } = MESSAGES[code];
  return { zh: fill(zh), en: fill(en) };
}
