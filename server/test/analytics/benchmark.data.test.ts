import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_FILE, benchmarkFileSchema, loadBenchmarkFigures } from '../../src/analytics/benchmark.data.ts';

const SOURCE = 'Hoorn issue 8, quoting the 2011/2012 contact-centre benchmark of the seed reports';

describe('industry benchmark figures (data/industry-benchmarks.json)', () => {
  const raw = JSON.parse(fs.readFileSync(BENCHMARK_FILE, 'utf8'));

  it('passes the schema: every figure has an id, both labels, a value, a unit, a population, a year and a source', () => {
    const parsed = benchmarkFileSchema.safeParse(raw);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    for (const figure of raw.figures) {
      expect(figure.source, figure.id).toBe(SOURCE);
      expect(figure.year, figure.id).toBe('2011/2012');
    }
  });

  it('holds exactly the figures the issue quotes', () => {
    const values = Object.fromEntries(loadBenchmarkFigures().map((f) => [f.id, f.value]));
    expect(values).toEqual({
      'channel.internet_customer_service': 79.3,
      'channel.social_media': 33.1,
      'channel.smartphone_apps': 19.2,
      'channel.internet_queries': 64,
      'channel.sms': 40,
      'channel.web_chat': 25,
      profit_centre: 47.9,
      'maturity.learning': 54.5,
      'maturity.very_advanced': 6.7,
    });
  });

  it('refuses a file with a figure without a source, or an id twice', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoorn-benchmarks-'));
    try {
      const noSource = path.join(dir, 'no-source.json');
      const [first, ...rest] = raw.figures;
      fs.writeFileSync(noSource, JSON.stringify({ ...raw, figures: [{ ...first, source: undefined }, ...rest] }));
      expect(() => loadBenchmarkFigures(noSource)).toThrow(/source/);
      const twice = path.join(dir, 'twice.json');
      fs.writeFileSync(twice, JSON.stringify({ ...raw, figures: [first, first] }));
      expect(() => loadBenchmarkFigures(twice)).toThrow(/appears twice/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
