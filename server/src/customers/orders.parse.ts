// Pure parsing of orders: CSV lines, amounts in minor units, dates. No I/O.

/** Currencies without minor units (ISO 4217 exponent 0); every other currency has 2 decimals here. */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

export function currencyExponent(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/** "12.50" EUR -> 1250; throws RangeError with a message for the report. Negative amounts (refunds) are refused. */
export function parseAmountMinor(amount: string | number, currency: string): number {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(text);
  if (!m) throw new RangeError(`amount "${text}" is not a positive decimal number`);
  const exponent = currencyExponent(currency);
  const fraction = m[2] ?? '';
  if (fraction.length > exponent) throw new RangeError(`amount "${text}" has more than ${exponent} decimals for ${currency}`);
  const minor = Number(m[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount "${text}" is too large`);
  return minor;
}

export function parseCurrency(currency: string): string {
  const c = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c)) throw new RangeError(`currency "${currency}" is not an ISO 4217 code`);
  return c;
}

/** YYYY-MM-DD (midnight UTC) or an ISO date-time with a zone. */
export function parseOrderDate(date: string): Date {
  const text = date.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) throw new RangeError(`date "${text}" is not YYYY-MM-DD or an ISO date-time with a time zone`);
  const d = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(d.getTime()) || (dateOnly && d.toISOString().slice(0, 10) !== text)) throw new RangeError(`date "${text}" is not a valid date`);
  return d;
}

/** One CSV record per line (RFC 4180 quoting, no line breaks inside quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') out.push(field), (field = '');
    else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

export type CustomerRef = { kind: 'id' | 'email' | 'key'; value: string };

export interface OrderLine {
  line: number;
  customer: CustomerRef;
  orderId: string;
  orderedAt: Date;
  amountMinor: number;
  currency: string;
}

export interface LineError {
  line: number;
  message: string;
}

const CUSTOMER_COLUMNS = { customer_id: 'id', customer_email: 'email', customer_key: 'key' } as const;

/**
 * CSV text with a header naming `order_id, date, amount, currency` and one of `customer_id`,
 * `customer_email`, `customer_key` (columns in any order, extra columns ignored). Lines are
 * numbered as in the file (the header is line 1); blank lines are skipped.
 */
export function parseOrdersCsv(text: string): { lines: OrderLine[]; errors: LineError[] } {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(rows[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const customerColumn = (Object.keys(CUSTOMER_COLUMNS) as Array<keyof typeof CUSTOMER_COLUMNS>).find((c) => col(c) >= 0);
  const missing = ['order_id', 'date', 'amount', 'currency'].filter((c) => col(c) < 0);
  if (!customerColumn) missing.unshift('customer_id, customer_email or customer_key');
  if (missing.length > 0) return { lines: [], errors: [{ line: 1, message: `the header lacks ${missing.join(', ')}` }] };
  const lines: OrderLine[] = [];
  const errors: LineError[] = [];
  for (let i = 1; i < rows.length; i++) {
    const raw = rows[i]!;
    if (raw.trim() === '') continue;
    const line = i + 1;
    const f = splitCsvLine(raw);
    const get = (name: string) => f[col(name)] ?? '';
    try {
      const customer = get(customerColumn!);
      if (!customer) throw new RangeError(`${customerColumn} is empty`);
      const orderId = get('order_id');
      if (!orderId) throw new RangeError('order_id is empty');
      if (orderId.length > 200) throw new RangeError('order_id is longer than 200 characters');
      const currency = parseCurrency(get('currency'));
      lines.push({
        line,
        customer: { kind: CUSTOMER_COLUMNS[customerColumn!], value: customerColumn === 'customer_email' ? customer.toLowerCase() : customer },
        orderId,
        orderedAt: parseOrderDate(get('date')),
        amountMinor: parseAmountMinor(get('amount'), currency),
        currency,
      });
    } catch (error) {
      errors.push({ line, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { lines, errors };
}
