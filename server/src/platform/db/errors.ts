/** PostgreSQL's unique_violation (23505), possibly wrapped by Drizzle as the error's cause. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e && typeof e === 'object'; e = e.cause as typeof e) {
    if (e.code === '23505') return true;
  }
  return false;
}
