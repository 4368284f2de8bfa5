import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSummaryCsv, readTransactionsCsv } from '../../src/clv/clv.files.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoorn-clv-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('CLV file adapter', () => {
  it('names the line of a bad summary row', () => {
    const file = write('bad.csv', 'ID,frequency,recency,T\n1,2,30.43,38.86\n2,two,1,38\n');
    expect(() => readSummaryCsv(file)).toThrow('bad.csv:3: frequency is not a number ("two")');
    expect(() => readSummaryCsv(write('late.csv', 'ID,frequency,recency,T\n1,2,40,38.86\n'))).toThrow('late.csv:2: need 0 <= recency <= T');
  });

  it('reads transactions with quoted cells and names bad dates and amounts', () => {
    const ok = readTransactionsCsv(write('t.csv', 'customer_id,date,amount\r\n"c,1",2024-01-02,10.5\r\nc2,2024-01-03,3\r\n'));
    expect(ok).toEqual([
      { customerId: 'c,1', date: '2024-01-02', amount: 10.5 },
      { customerId: 'c2', date: '2024-01-03', amount: 3 },
    ]);
    expect(() => readTransactionsCsv(write('d.csv', 'customer_id,date,amount\nc,02/01/2024,1\n'))).toThrow('d.csv:2: date is not YYYY-MM-DD');
    expect(() => readTransactionsCsv(write('a.csv', 'customer_id,date,amount\nc,2024-01-02,\n'))).toThrow('a.csv:2: amount is not a number');
    expect(() => readTransactionsCsv(write('h.csv', 'who,when\n'))).toThrow('no column customer_id');
  });
});
