import { describe, expect, it } from 'vitest';
import { AnnualReportFileSchema } from '../../../shared/annual-report/report.ts';
import { LevelDocumentRecordSchema } from '../../../shared/review/level-documents/records.ts';
import { ANNUAL_REPORT_PREFIX, LEVEL_DOCUMENT_PREFIX } from '../../../shared/rules/storage.ts';
import { UploadedFileFieldsSchema } from '../../../shared/schemas/records.ts';

/**
 * An uploaded file's fields are declared once (UploadedFileFieldsSchema) and extended by the
 * annual report's file and the level's document: items stored before read back the same, each
 * record keeps its own object-key prefix, and a missing field is named.
 */

const FILE_ID = '0f8e2a4c-6b1d-4e3f-8a5b-7c9d0e1f2a3b';
const SHA = 'a'.repeat(64);

/** The fields both records carried before they shared them, every optional one present. */
const uploaded = {
  fileName: '年度报告.pdf',
  contentType: 'application/pdf',
  fileType: 'pdf',
  declaredSize: 2048,
  declaredSha256: SHA,
  maxBytes: 52_428_800,
  status: 'VALID',
  requestedAt: '2026-06-01T02:00:00.000Z',
  uploadExpiresAt: '2026-06-01T02:15:00.000Z',
  findings: [],
  size: 2048,
  sha256: SHA,
  validatedAt: '2026-06-01T02:01:00.000Z',
  validatedSequencer: '0A1B',
  versionId: 'v1',
  eTag: 'etag-1',
};

const annualFile = {
  ...uploaded,
  fileId: FILE_ID,
  reportYear: 2026,
  provinceCode: '220000',
  entryId: 'provincial#2026#222403#敦化市人参产业集群',
  countyCode: '222403',
  objectKey: `${ANNUAL_REPORT_PREFIX}220000/2026/${FILE_ID}`,
  requestedBy: 'user:applicant-222403',
};

const levelDocument = {
  ...uploaded,
  documentId: FILE_ID,
  campaignId: 'miit-2025-recommendation',
  track: 'recommendation',
  jurisdictionCode: '222400',
  kind: 'formal-letter',
  objectKey: `${LEVEL_DOCUMENT_PREFIX}${FILE_ID}`,
  uploadedBy: 'user:reviewer-222400',
  viaReviewId: 'review-1',
  warnings: [],
  summaryTable: {
    s3Key: 'exports/summary.xlsx',
    fileName: '推荐汇总表.xlsx',
    sha256: SHA,
    size: 10,
    generatedAt: '2026-06-01T02:02:00.000Z',
  },
};

describe('the fields of an uploaded file, declared once', () => {
  it('reads back a stored annual report file and level document exactly as stored', () => {
    expect(AnnualReportFileSchema.parse(annualFile)).toEqual(annualFile);
    expect(LevelDocumentRecordSchema.parse(levelDocument)).toEqual(levelDocument);
  });

  it('gives both records every shared field', () => {
    for (const schema of [AnnualReportFileSchema, LevelDocumentRecordSchema]) {
      expect(Object.keys(schema.shape)).toEqual(expect.arrayContaining(Object.keys(UploadedFileFieldsSchema.shape)));
    }
  });

  it('defaults findings (and a document’s warnings) to none, as before', () => {
    const { findings: _f, ...withoutFindings } = annualFile;
    expect(AnnualReportFileSchema.parse(withoutFindings).findings).toEqual([]);
    const { findings: _g, warnings: _w, ...bare } = levelDocument;
    expect(LevelDocumentRecordSchema.parse(bare)).toMatchObject({ findings: [], warnings: [] });
  });

  it('keeps each record’s own object-key prefix', () => {
    const swapped = [
      AnnualReportFileSchema.safeParse({ ...annualFile, objectKey: levelDocument.objectKey }),
      LevelDocumentRecordSchema.safeParse({ ...levelDocument, objectKey: annualFile.objectKey }),
    ];
    for (const result of swapped) {
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['objectKey']);
    }
  });

  it('names a missing or malformed shared field', () => {
    const { declaredSize: _d, ...noSize } = annualFile;
    const refused = AnnualReportFileSchema.safeParse({ ...noSize, fileType: 'exe' });
    expect(refused.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['declaredSize', 'fileType']);
  });
});
