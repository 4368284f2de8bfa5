import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFile } from './data.ts';
import { runHoorn } from '../cli/run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoorn-clv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const hoorn = (args: string[]) => runHoorn(args);

/** `hoorn clv fit` as other tools call it: JSON on stdout, no database. */
describe('hoorn clv fit', () => {
  it('fits from a customer_id,date,amount transaction file', { timeout: 60_000 }, () => {
    const lines = fs
      .readFileSync(dataFile('CDNOW_sample.txt'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((line) => {
        const [, id, d, , value] = line.trim().split(/\s+/) as [string, string, string, string, string];
        return `${Number(id)},${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)},${value}`;
      });
    const file = path.join(dir, 'transactions.csv');
    fs.writeFileSync(file, `customer_id,date,amount\n${lines.join('\n')}\n`);
    const result = hoorn(['clv', 'fit', '--transactions', file, '--calibration-end', '1997-09-30', '--time-unit', 'week', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(Object.keys(out)).toEqual(['bgnbd', 'gammaGamma', 'customers']);
    expect(Object.keys(out.bgnbd)).toEqual(['r', 'alpha', 'a', 'b', 'logLikelihood']);
    expect(Object.keys(out.gammaGamma)).toEqual(['p', 'q', 'v', 'logLikelihood']);
    expect(out.customers).toBe(2357);
    expect(out.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(out.bgnbd.alpha).toBeCloseTo(4.414, 2);
    expect(out.bgnbd.a).toBeCloseTo(0.793, 3);
    expect(out.bgnbd.b).toBeCloseTo(2.426, 2);
    expect(out.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 0);
    expect(out.gammaGamma.p).toBeCloseTo(6.25, 1);
    expect(out.gammaGamma.q).toBeCloseTo(3.74, 1);
    expect(out.gammaGamma.v).toBeCloseTo(15.44, 1);
  });

  it('fits Pareto/NBD next to BG/NBD when asked', { timeout: 60_000 }, () => {
    const result = hoorn(['clv', 'fit', '--summary', dataFile('cdnow_customers_summary.csv'), '--pareto', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(Object.keys(out)).toEqual(['bgnbd', 'gammaGamma', 'paretoNbd', 'customers']);
    // Published CDNOW estimates (see paretonbd.test.ts for the sources).
    expect(Number(out.paretoNbd.r.toPrecision(3))).toBe(0.553);
    expect(Number(out.paretoNbd.s.toPrecision(3))).toBe(0.606);
    expect(out.paretoNbd.logLikelihood).toBeCloseTo(-9594.98, 1);
  });

  it('fits from a summary file', { timeout: 60_000 }, () => {
    const result = hoorn(['clv', 'fit', '--summary', dataFile('cdnow_customers_summary.csv'), '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.customers).toBe(2357);
    expect(out.gammaGamma).toBeNull();
    expect(out.bgnbd.logLikelihood).toBeCloseTo(-9582.43, 1);
  });
});
