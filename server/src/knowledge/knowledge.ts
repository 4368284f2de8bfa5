// Pure helpers of the knowledge base: slugs, query words, Markdown to plain text, the confidence
// measure. No I/O here; the store and the answer function use these.
import type { KnowledgeLanguage } from './knowledge.schema.ts';

/** The text-search configuration of each article language. */
export const searchConfig: Record<KnowledgeLanguage, 'dutch' | 'english'> = { nl: 'dutch', en: 'english' };

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "Bestelling wijzigen of annuleren?" -> "bestelling-wijzigen-of-annuleren" (accents dropped). */
export function slugify(text: string, max = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug || 'artikel';
}

/**
 * The words of free text (a customer's question, what an agent types) that can go into a tsquery:
 * letters and digits only, so nothing the user types reaches the tsquery syntax. At most `max`.
 */
export function queryWords(text: string, max = 32): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length > 1 || /\d/.test(w)))].slice(0, max);
}

/** An OR tsquery source (`'a' | 'b'`) over the words; they hold only letters and digits. */
export function orQuerySource(words: string[]): string {
  return words.map((w) => `'${w}'`).join(' | ');
}

/** Markdown reduced to plain text: marks, link targets, images and code fences removed. */
export function markdownToPlain(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|\*|_|`)/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A short excerpt: the first paragraphs of the plain text, cut at a sentence end (or a word) before
 * `max` characters.
 */
export function excerpt(markdown: string, max = 280): string {
  const plain = markdownToPlain(markdown).replace(/\s*\n\s*/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const sentence = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  if (sentence > max * 0.4) return cut.slice(0, sentence + 1);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > 0 ? space : max)} …`;
}

/** What the confidence is computed from, for the best-ranked translation. */
export interface MatchStats {
  /** Distinct query lexemes (after stemming and stop words) — 0 when nothing searchable was asked. */
  total: number;
  /** How many of them occur in the best article. */
  matched: number;
  /** How many of them occur in its title. */
  titleMatched: number;
  /** ts_rank_cd(…, 32) of the best and the second-best article, each in [0, 1). */
  best: number;
  second: number;
}

/**
 * Confidence in [0, 1] that the best article answers the query:
 *
 *   coverage = matched / total                  (how much of the question the article speaks to)
 *   title    = min(1, titleMatched / min(2, total))  (the question names the article's subject)
 *   margin   = (best − second) / best           (1 without a runner-up; 0 when two tie)
 *   confidence = √coverage · (0.55 + 0.25 · title + 0.20 · margin)
 *
 * The square root keeps long, chatty questions (which always hold words no article has) from
 * being punished too hard; a query none of whose terms occur scores 0.
 */
export function confidenceOf(s: MatchStats): number {
  if (s.total <= 0 || s.matched <= 0 || s.best <= 0) return 0;
  const coverage = Math.min(1, s.matched / s.total);
  const title = Math.min(1, s.titleMatched / Math.min(2, s.total));
  const margin = Math.max(0, Math.min(1, (s.best - Math.max(0, s.second)) / s.best));
  const value = Math.sqrt(coverage) * (0.55 + 0.25 * title + 0.2 * margin);
  return Math.round(Math.max(0, Math.min(1, value)) * 1000) / 1000;
}

/** ts_headline's output marks matches with these control characters; the presenter turns them into segments. */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

export interface SnippetPart {
  text: string;
  hit: boolean;
}

/** Splits a ts_headline result into plain-text parts, the matched ones flagged. */
export function snippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const re = new RegExp(`${HIT_START}([^${HIT_END}]*)${HIT_END}`, 'g');
  let last = 0;
  for (const m of headline.matchAll(re)) {
    if (m.index > last) parts.push({ text: headline.slice(last, m.index), hit: false });
    parts.push({ text: m[1]!, hit: true });
    last = m.index + m[0].length;
  }
  if (last < headline.length) parts.push({ text: headline.slice(last), hit: false });
  return parts.map((p) => ({ ...p, text: p.text.replace(/[\u0000-\u0008\u000b-\u001f]/g, '') })).filter((p) => p.text.length > 0);
}
