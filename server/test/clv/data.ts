import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSummaryCsv } from '../../src/clv/clv.files.ts';

/** /work/main/server/test/clv -> /work/shared/data/clv: the shared data sits next to the repository. */
export const clvData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/clv');
export const dataFile = (name: string) => path.join(clvData, name);
export const cdnowSummary = () => readSummaryCsv(dataFile('cdnow_customers_summary.csv'));
export const cdnowWithSpend = () => readSummaryCsv(dataFile('cdnow_customers_summary_with_transactions.csv'));
