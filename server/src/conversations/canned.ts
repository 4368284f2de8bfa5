/**
 * Canned responses: saved replies with placeholders such as `{{customer.first_name}}`.
 * Pure: the values come in, the text goes out. Unknown placeholders stay as typed, so an agent
 * sees what was not filled instead of a silent gap.
 */
export interface PlaceholderValues {
  customer: { name: string | null; email: string | null };
  agent: { name: string };
  conversation: { id: string };
}

const firstName = (name: string | null) => (name ?? '').trim().split(/\s+/)[0] ?? '';

export function placeholderTable(v: PlaceholderValues): Record<string, string> {
  return {
    'customer.name': v.customer.name ?? '',
    'customer.first_name': firstName(v.customer.name),
    'customer.email': v.customer.email ?? '',
    'agent.name': v.agent.name,
    'agent.first_name': firstName(v.agent.name),
    'conversation.id': v.conversation.id,
  };
}

export function renderCanned(body: string, values: PlaceholderValues): string {
  const table = placeholderTable(values);
  return body.replace(/\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}/g, (whole, key: string) => (key in table ? table[key]! : whole));
}

/** Canned responses that match a search: shortcode prefix first, then title or body containing it. */
export function rankCanned<T extends { shortcode: string; title: string; body: string }>(items: T[], query: string): T[] {
  const q = query.trim().toLowerCase().replace(/^\//, '');
  if (!q) return [...items].sort((a, b) => a.shortcode.localeCompare(b.shortcode));
  const score = (item: T) =>
    item.shortcode.toLowerCase().startsWith(q) ? 0 : item.title.toLowerCase().includes(q) ? 1 : item.body.toLowerCase().includes(q) ? 2 : 3;
  return items
    .map((item) => ({ item, s: score(item) }))
    .filter((x) => x.s < 3)
    .sort((a, b) => a.s - b.s || a.item.shortcode.localeCompare(b.item.shortcode))
    .map((x) => x.item);
}
