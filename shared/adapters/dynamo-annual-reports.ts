import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AnnualForwarding, AnnualForwardingSchema } from '../annual-report/forwarding.ts';
import {
  type AnnualReportFile,
  AnnualReportFileSchema,
  type AnnualReportRecord,
  AnnualReportRecordSchema,
} from '../annual-report/report.ts';
import type { AnnualReportStore, FileRemoval, ProvinceYear } from '../ports/annual-reports.ts';
import { INDEXES } from './table.ts';
import { isConditionFailure, queryAll, type TransactItem, transactWrite, withoutKeys } from './dynamo-util.ts';

/**
 * The annual reports in the one table, one partition per province and reporting year:
 *
 *   report      pk ANNUAL#<province>#<year>  sk REPORT#<register entry id>
 *   upload      pk ANNUAL#<province>#<year>  sk FILE#<fileId>
 *   the set     pk ANNUAL#<province>#<year>  sk SET      version (+1 with every report change);
 *                                                        forwarding, once forwarded, with
 *                                                        gsi1pk = ANNUAL#<year>, gsi1sk = <province>
 *
 * The province's whole year is one strongly consistent Query. A report is written in one
 * transaction with the set's version, conditional on its own revision, on no forwarding and on
 * the upload it carries not being removed; an upload is removed (marked, its tombstone kept) in
 * one transaction with the report's history, conditional on that report's revision (or on there
 * being none), so a filing and a removal of the same upload never both succeed; the
 * forwarding is written on the set conditional on the version it was planned from, so nothing
 * filed or decided meanwhile is forwarded under a stale state, and the set goes once. MIIT reads
 * every province's forwarding of a year from the byJurisdiction index. Every key begins ANNUAL#.
 */
export const annualReportKeys = {
  partition: (provinceCode: string, reportYear: number) => `ANNUAL#${provinceCode}#${reportYear}`,
  report: (provinceCode: string, reportYear: number, entryId: string) => ({
    pk: annualReportKeys.partition(provinceCode, reportYear),
    sk: `REPORT#${entryId}`,
  }),
  file: (provinceCode: string, reportYear: number, fileId: string) => ({
    pk: annualReportKeys.partition(provinceCode, reportYear),
    sk: `FILE#${fileId}`,
  }),
  set: (provinceCode: string, reportYear: number) => ({
    pk: annualReportKeys.partition(provinceCode, reportYear),
    sk: 'SET',
  }),
  forwardedIndex: (reportYear: number) => `ANNUAL#${reportYear}`,
};

const { byJurisdiction } = INDEXES;

export class DynamoAnnualReports implements AnnualReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async provinceYear(provinceCode: string, reportYear: number): Promise<ProvinceYear> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': annualReportKeys.partition(provinceCode, reportYear) },
      ConsistentRead: true,
    });
    const year: ProvinceYear = { reports: [], files: [], version: 0 };
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith('REPORT#')) year.reports.push(AnnualReportRecordSchema.parse(withoutKeys(item)));
      else if (sk.startsWith('FILE#')) {
        // A removed upload's tombstone is for getFile alone (a repeat, the validator): nothing lists it.
        const file = AnnualReportFileSchema.parse(withoutKeys(item));
        if (file.removedAt === undefined) year.files.push(file);
      } else if (sk === 'SET') {
        year.version = Number(item.version ?? 0);
        if (item.forwarding !== undefined) year.forwarding = AnnualForwardingSchema.parse(item.forwarding);
      }
    }
    return year;
  }

  async getReport(provinceCode: string, reportYear: number, entryId: string) {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: annualReportKeys.report(provinceCode, reportYear, entryId),
        ConsistentRead: true,
      }),
    );
    return Item ? AnnualReportRecordSchema.parse(withoutKeys(Item)) : undefined;
  }

  async saveReport(report: AnnualReportRecord, expectedRevision: number | undefined): Promise<boolean> {
    const parsed = AnnualReportRecordSchema.parse(report);
    const { provinceCode, reportYear } = parsed;
    const reasons = await transactWrite(this.client, [
      this.reportPut(parsed, expectedRevision),
      {
        // A removal that won the race took the upload away: the filing must not carry it.
        ConditionCheck: {
          TableName: this.tableName,
          Key: annualReportKeys.file(provinceCode, reportYear, parsed.file.fileId),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt)',
        },
      },
      this.setMoved(provinceCode, reportYear),
    ]);
    return reasons === undefined;
  }

  async removeFile(removal: FileRemoval): Promise<boolean> {
    const { file, removedAt, removedBy, report } = removal;
    const { provinceCode, reportYear } = file;
    const reportKey = annualReportKeys.report(provinceCode, reportYear, file.entryId);
    const reasons = await transactWrite(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: annualReportKeys.file(provinceCode, reportYear, file.fileId),
          UpdateExpression: 'SET removedAt = :at, removedBy = :by',
          // As it was read: a verdict that landed meanwhile is decided on again, not removed blind.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt) AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': removedAt, ':by': removedBy, ':status': file.status },
        },
      },
      report
        ? this.reportPut(AnnualReportRecordSchema.parse(report.next), report.expectedRevision)
        : // No report yet: a first filing that lands meanwhile may have taken this very upload.
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: reportKey,
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
      this.setMoved(provinceCode, reportYear),
    ]);
    return reasons === undefined;
  }

  /** The report's write, conditional on its revision as read (undefined: on there being none). */
  private reportPut(report: AnnualReportRecord, expectedRevision: number | undefined): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...report, ...annualReportKeys.report(report.provinceCode, report.reportYear, report.entryId) },
        ...(expectedRevision === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'revision = :expected',
              ExpressionAttributeValues: { ':expected': expectedRevision },
            }),
      },
    };
  }

  /** The set's version moves with every change, and nothing changes once it is forwarded. */
  private setMoved(provinceCode: string, reportYear: number): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: annualReportKeys.set(provinceCode, reportYear),
        UpdateExpression: 'ADD version :one',
        ConditionExpression: 'attribute_not_exists(forwarding)',
        ExpressionAttributeValues: { ':one': 1 },
      },
    };
  }

  async createFile(file: AnnualReportFile): Promise<boolean> {
    return this.putFileIf(file, 'attribute_not_exists(pk)');
  }

  /** Writes the file record if `condition` holds; false when it does not. */
  private async putFileIf(file: AnnualReportFile, condition: string): Promise<boolean> {
    const parsed = AnnualReportFileSchema.parse(file);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...parsed, ...annualReportKeys.file(parsed.provinceCode, parsed.reportYear, parsed.fileId) },
          ConditionExpression: condition,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getFile(provinceCode: string, reportYear: number, fileId: string) {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: annualReportKeys.file(provinceCode, reportYear, fileId),
        ConsistentRead: true,
      }),
    );
    return Item ? AnnualReportFileSchema.parse(withoutKeys(Item)) : undefined;
  }

  async recordFileValidation(file: AnnualReportFile): Promise<boolean> {
    if (!file.validatedSequencer) throw new Error('recordFileValidation needs the S3 event sequencer');
    // The first verdict stands: a replay, or a second object for the key, changes nothing; and a
    // removed upload stays removed (its object, arriving late, is quarantined: ../annual-report/check.ts).
    return this.putFileIf(
      file,
      'attribute_exists(pk) AND attribute_not_exists(validatedSequencer) AND attribute_not_exists(removedAt)',
    );
  }

  async forward(forwarding: AnnualForwarding, version: number): Promise<boolean> {
    const parsed = AnnualForwardingSchema.parse(forwarding);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: annualReportKeys.set(parsed.provinceCode, parsed.reportYear),
          UpdateExpression: 'SET forwarding = :forwarding, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
          ConditionExpression:
            version === 0
              ? 'attribute_not_exists(forwarding) AND (attribute_not_exists(version) OR version = :version)'
              : 'attribute_not_exists(forwarding) AND version = :version',
          ExpressionAttributeValues: {
            ':forwarding': parsed,
            ':gsi1pk': annualReportKeys.forwardedIndex(parsed.reportYear),
            ':gsi1sk': parsed.provinceCode,
            ':version': version,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async forwardings(reportYear: number): Promise<AnnualForwarding[]> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: byJurisdiction.indexName,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': annualReportKeys.forwardedIndex(reportYear) },
    });
    return items.map((item) => AnnualForwardingSchema.parse(item.forwarding));
  }
}
