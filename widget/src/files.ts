/**
 * Whether a file matches the channel's allowed types: exact MIME types (`application/pdf`),
 * wildcards (`image/*`) and extensions (`.pdf`). An empty list allows everything.
 */
export function typeAllowed(file: { name: string; type: string }, types: readonly string[]): boolean {
  if (types.length === 0) return true;
  const mime = (file.type || 'application/octet-stream').toLowerCase();
  const name = file.name.toLowerCase();
  return types.some((raw) => {
    const t = raw.trim().toLowerCase();
    if (t === '*' || t === '*/*') return true;
    if (t.startsWith('.')) return name.endsWith(t);
    if (t.endsWith('/*')) return mime.startsWith(t.slice(0, -1));
    return mime === t;
  });
}

/** crypto.randomUUID is missing on plain-http pages (not a secure context); getRandomValues is not. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') {
    try {
      return crypto.randomUUID();
    } catch {
      // fall through
    }
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Black or white text, whichever reads better on a #rgb / #rrggbb background. */
export function contrastText(hex: string): string {
  let h = hex.replace('#', '');
  if (h.length === 3 || h.length === 4) h = Array.from(h.slice(0, 3), (c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.45 ? '#111827' : '#ffffff';
}

/** Only plain hex colours reach the stylesheet. */
export function safeColor(c: unknown, fallback = '#2563eb'): string {
  return typeof c === 'string' && /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(c) ? c : fallback;
}
