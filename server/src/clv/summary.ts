// From a transaction log to the (frequency, recency, T, monetary value) summary the models use.
// Conventions (those of the CDNOW papers): time is counted in whole calendar days; a customer's
// purchases on one day are one purchase with the day's amounts summed; frequency = purchase days
// after the first; recency = last purchase day − first purchase day; T = calibration end − first
// purchase day; monetary value = mean amount of the repeat purchase days (0 when there are none).
// Transactions after the calibration end are ignored, and so are customers whose first purchase
// is after it. Pure: dates arrive as strings and are parsed here without a time zone.

export interface Transaction {
  customerId: string;
  /** 'YYYY-MM-DD', 'YYYYMMDD' or an ISO date-time (only the date part counts). */
  date: string;
  amount: number;
}

export type TimeUnit = 'day' | 'week';

export interface CustomerSummary {
  customerId: string;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
}

/** Days since 1970-01-01 of a calendar date; throws on anything that is not a valid date. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])/.exec(date.trim());
  if (!m) throw new RangeError(`not a date: "${date}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw new RangeError(`not a date: "${date}"`);
  return ms / 86_400_000;
}

export function summarize(transactions: Iterable<Transaction>, calibrationEnd: string, unit: TimeUnit = 'day'): CustomerSummary[] {
  const end = dayNumber(calibrationEnd);
  const scale = unit === 'week' ? 7 : 1;
  const byCustomer = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    const day = dayNumber(t.date);
    if (day > end) continue;
    if (!Number.isFinite(t.amount)) throw new RangeError(`amount is not a number for customer ${t.customerId} on ${t.date}`);
    let days = byCustomer.get(t.customerId);
    if (!days) byCustomer.set(t.customerId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + t.amount);
  }
  const out: CustomerSummary[] = [];
  for (const [customerId, days] of byCustomer) {
    const sorted = [...days.keys()].sort((p, q) => p - q);
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    let repeatSpend = 0;
    for (let i = 1; i < sorted.length; i++) repeatSpend += days.get(sorted[i]!)!;
    const frequency = sorted.length - 1;
    out.push({
      customerId,
      frequency,
      recency: (last - first) / scale,
      T: (end - first) / scale,
      monetaryValue: frequency > 0 ? repeatSpend / frequency : 0,
    });
  }
  return out;
}
