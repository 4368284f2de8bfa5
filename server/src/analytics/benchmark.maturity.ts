/**
 * The maturity self-assessment: ten questions about how the centre works, each answered on a
 * five-point scale, scored into one of four levels. Pure; the texts of the questions live in the
 * web app's locale files (keyed by these ids).
 *
 * Scoring (also in docs/analytics.md):
 * - each answer is 0 (not at all), 1 (ad hoc), 2 (partly), 3 (largely) or 4 (fully, and improved
 *   continuously);
 * - the score is the sum as a percentage of the maximum (40), rounded to a whole number;
 * - the level: starting below 40, learning from 40, advanced from 65, very advanced from 85;
 * - a centre with any area answered 0 or 1 is at most "advanced": "very advanced" means no area is
 *   left to chance, however high the rest scores.
 */
export const maturityQuestions = [
  'channels',
  'self_service',
  'routing',
  'knowledge',
  'customer_value',
  'kpi_steering',
  'profit_centre_thinking',
  'proactive_service',
  'workforce_planning',
  'benchmarking',
] as const;
export type MaturityQuestion = (typeof maturityQuestions)[number];

export const MATURITY_SCALE = { min: 0, max: 4 } as const;

export const maturityLevels = ['starting', 'learning', 'advanced', 'very_advanced'] as const;
export type MaturityLevel = (typeof maturityLevels)[number];

/** The lowest score of each level, in order. */
export const LEVEL_THRESHOLDS: Record<MaturityLevel, number> = { starting: 0, learning: 40, advanced: 65, very_advanced: 85 };
/** "Very advanced" needs every answer at least this. */
export const VERY_ADVANCED_MIN_ANSWER = 2;

export type MaturityAnswers = Record<MaturityQuestion, number>;

export interface MaturityScore {
  /** 0–100. */
  score: number;
  level: MaturityLevel;
  /** The areas answered lowest, weakest first (at most three): where to start improving. */
  weakest: MaturityQuestion[];
}

/** Scores a complete set of answers; throws on a missing or out-of-scale answer (the route checks first). */
export function scoreMaturity(answers: MaturityAnswers): MaturityScore {
  let sum = 0;
  for (const question of maturityQuestions) {
    const answer = answers[question];
    if (!Number.isInteger(answer) || answer < MATURITY_SCALE.min || answer > MATURITY_SCALE.max) {
      throw new RangeError(`answer to ${question} must be a whole number from ${MATURITY_SCALE.min} to ${MATURITY_SCALE.max}`);
    }
    sum += answer;
  }
  const score = Math.round((100 * sum) / (MATURITY_SCALE.max * maturityQuestions.length));
  let level: MaturityLevel = 'starting';
  for (const candidate of maturityLevels) if (score >= LEVEL_THRESHOLDS[candidate]) level = candidate;
  if (level === 'very_advanced' && maturityQuestions.some((q) => answers[q] < VERY_ADVANCED_MIN_ANSWER)) level = 'advanced';
  const weakest = [...maturityQuestions]
    .filter((q) => answers[q] < MATURITY_SCALE.max)
    .sort((a, b) => answers[a] - answers[b] || maturityQuestions.indexOf(a) - maturityQuestions.indexOf(b))
    .slice(0, 3);
  return { score, level, weakest };
}
