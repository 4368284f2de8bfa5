// The file adapter of the lifetime-value code: reads transaction logs and customer summaries from
// disk. Everything it returns goes into the pure functions of this folder. Errors name the line.
import fs from 'node:fs';
import type { CustomerSummary, Transaction } from './summary.ts';

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

function readLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** A CSV with a header row: returns a column lookup (first of the accepted names) and the data rows with line numbers. */
function readCsv(file: string, columns: Record<string, { names: string[]; optional?: boolean }>) {
  const lines = readLines(file);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const index: Record<string, number> = {};
  for (const [key, spec] of Object.entries(columns)) {
    const i = header.findIndex((h) => spec.names.includes(h));
    if (i < 0 && !spec.optional) throw new Error(`${file}: no column ${spec.names[0]} in the header (${header.join(',')})`);
    index[key] = i;
  }
  const rows: { line: number; cells: string[] }[] = [];
  lines.slice(1).forEach((text, i) => {
    if (text.trim() !== '') rows.push({ line: i + 2, cells: splitCsvLine(text) });
  });
  return { index, rows };
}

function numberAt(file: string, line: number, cells: string[], i: number, name: string): number {
  const raw = cells[i];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${file}:${line}: ${name} is not a number ("${raw ?? ''}")`);
  return value;
}

/** `customer_id,date,amount` (date YYYY-MM-DD; `id` and `value`/`monetary_value` also accepted). */
export function readTransactionsCsv(file: string): Transaction[] {
  const { index, rows } = readCsv(file, {
    customerId: { names: ['customer_id', 'id', 'customer'] },
    date: { names: ['date'] },
    amount: { names: ['amount', 'value', 'monetary_value'] },
  });
  return rows.map(({ line, cells }) => {
    const customerId = cells[index.customerId!] ?? '';
    const date = cells[index.date!] ?? '';
    if (customerId === '') throw new Error(`${file}:${line}: customer_id is empty`);
    if (!/^\d{4}-?\d{2}-?\d{2}/.test(date)) throw new Error(`${file}:${line}: date is not YYYY-MM-DD ("${date}")`);
    return { customerId, date, amount: numberAt(file, line, cells, index.amount!, 'amount') };
  });
}

/**
 * The CDNOW text files: whitespace-separated `customer_id date cds value` (CDNOW_master.txt, with a
 * header line) or `master_id sample_id date cds value` (CDNOW_sample.txt; the sample id is used).
 */
export function readCdnowTransactions(file: string): Transaction[] {
  const out: Transaction[] = [];
  readLines(file).forEach((text, i) => {
    const cells = text.trim().split(/\s+/);
    if (cells.length < 4 || !/^\d+$/.test(cells[0]!)) return; // blank or header
    const [id, date, value] = cells.length >= 5 ? [cells[1]!, cells[2]!, cells[4]!] : [cells[0]!, cells[1]!, cells[3]!];
    const amount = Number(value);
    if (!Number.isFinite(amount)) throw new Error(`${file}:${i + 1}: value is not a number ("${value}")`);
    out.push({ customerId: String(Number(id)), date, amount });
  });
  return out;
}

/** `ID,frequency,recency,T[,monetary_value]` (also `x,t_x,T,zbar` and `customer_id`). */
export function readSummaryCsv(file: string): (Omit<CustomerSummary, 'monetaryValue'> & { monetaryValue?: number })[] {
  const { index, rows } = readCsv(file, {
    id: { names: ['id', 'customer_id'], optional: true },
    frequency: { names: ['frequency', 'x'] },
    recency: { names: ['recency', 't_x'] },
    T: { names: ['t'] },
    monetaryValue: { names: ['monetary_value', 'zbar'], optional: true },
  });
  return rows.map(({ line, cells }) => {
    const frequency = numberAt(file, line, cells, index.frequency!, 'frequency');
    const recency = numberAt(file, line, cells, index.recency!, 'recency');
    const T = numberAt(file, line, cells, index.T!, 'T');
    if (!Number.isInteger(frequency) || frequency < 0) throw new Error(`${file}:${line}: frequency must be a whole number >= 0`);
    if (!(recency >= 0 && recency <= T && T > 0)) throw new Error(`${file}:${line}: need 0 <= recency <= T and T > 0`);
    const row: Omit<CustomerSummary, 'monetaryValue'> & { monetaryValue?: number } = {
      customerId: index.id! >= 0 ? (cells[index.id!] ?? String(line - 1)) : String(line - 1),
      frequency,
      recency,
      T,
    };
    if (index.monetaryValue! >= 0) row.monetaryValue = numberAt(file, line, cells, index.monetaryValue!, 'monetary_value');
    return row;
  });
}
