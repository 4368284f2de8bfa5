import fs from 'node:fs';
import { z } from 'zod';

/**
 * The industry reference figures (data/industry-benchmarks.json). Checked on load: a figure
 * without its source, or a file that does not parse, stops the start instead of showing an
 * unsourced number beside a workspace's own.
 */
export const benchmarkFigureSchema = z.object({
  id: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/),
  label: z.object({ nl: z.string().min(1), en: z.string().min(1) }),
  value: z.number().min(0).max(100),
  unit: z.literal('percent_of_centres'),
  population: z.string().min(1),
  year: z.string().regex(/^\d{4}(\/\d{4})?$/),
  source: z.string().min(1),
});
export const benchmarkFileSchema = z.object({ about: z.string(), figures: z.array(benchmarkFigureSchema).min(1) });

export type BenchmarkFigure = z.infer<typeof benchmarkFigureSchema>;

export const BENCHMARK_FILE = new URL('./data/industry-benchmarks.json', import.meta.url);

/** Reads and checks the figures file; ids must be unique. */
export function loadBenchmarkFigures(file: URL | string = BENCHMARK_FILE): BenchmarkFigure[] {
  const parsed = benchmarkFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const ids = new Set<string>();
  for (const figure of parsed.figures) {
    if (ids.has(figure.id)) throw new Error(`industry-benchmarks.json: figure ${figure.id} appears twice`);
    ids.add(figure.id);
  }
  return parsed.figures;
}

let cached: BenchmarkFigure[] | undefined;
/** The figures, read once per process. */
export function benchmarkFigures(): BenchmarkFigure[] {
  cached ??= loadBenchmarkFigures();
  return cached;
}
