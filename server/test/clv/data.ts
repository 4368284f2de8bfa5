import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSummaryCsv } from '../../src/clv/clv.files.ts';

/** server/test/clv -> reference-data/clv: the CDNOW files are kept in the repository (see its README). */
export const clvData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../reference-data/clv');
export const dataFile = (name: string) => path.join(clvData, name);
export const cdnowSummary = () => readSummaryCsv(dataFile('cdnow_customers_summary.csv'));
export const cdnowWithSpend = () => readSummaryCsv(dataFile('cdnow_customers_summary_with_transactions.csv'));
