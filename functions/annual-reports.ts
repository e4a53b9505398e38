import { makeAnnualReportHandler } from '../shared/annual-report/handler.ts';
import { wireAnnualReports } from '../shared/composition/annual-reports.ts';

export const handler = makeAnnualReportHandler(wireAnnualReports());
