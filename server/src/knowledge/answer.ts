// What the flow engine's knowledge node calls: the best published article for a customer's
// question, with a confidence, so the node can answer or hand off.
import type { DbOrTx } from '../platform/db/client.ts';
import { knowledgeLanguages, type KnowledgeLanguage } from './knowledge.schema.ts';
import { confidenceOf, excerpt } from './knowledge.ts';
import { searchTranslations } from './knowledge.store.ts';

export interface KnowledgeQuestion {
  /** What the customer asked, as typed. */
  query: string;
  /** The conversation's language; both languages are searched when absent or not nl/en. */
  language?: string | null;
  /** Only articles carrying at least one of these tags. */
  tags?: string[];
  /** Below this confidence (0..1) the answer is null and the node should hand off. */
  minConfidence: number;
}

export interface KnowledgeAnswer {
  /** Title and a short plain-text excerpt of the best article, or null when not confident enough. */
  answer: string | null;
  /** In [0, 1]: see confidenceOf in knowledge.ts (coverage of the question, title match, lead over the runner-up). */
  confidence: number;
  articleId?: string;
  title?: string;
  /** The language of the article that answered. */
  language?: KnowledgeLanguage;
  slug?: string;
}

const isLanguage = (value: unknown): value is KnowledgeLanguage => typeof value === 'string' && (knowledgeLanguages as readonly string[]).includes(value);

/**
 * Answers a question from the workspace's published articles. Any query word may match (a question
 * is not a search box): the articles are ranked by ts_rank_cd in their own language's
 * configuration, and the confidence compares the best with the runner-up and measures how much of
 * the question the best covers. `articleId` and `title` are returned even below `minConfidence`,
 * so a node can log what it nearly said.
 */
export async function answerFromKnowledge(db: DbOrTx, workspaceId: string, question: KnowledgeQuestion): Promise<KnowledgeAnswer> {
  const languages = isLanguage(question.language) ? [question.language] : knowledgeLanguages;
  const hits = await searchTranslations(db, workspaceId, { text: question.query, mode: 'any', languages, publishedOnly: true, tags: question.tags, limit: 6 });
  const best = hits[0];
  if (!best) return { answer: null, confidence: 0 };
  // The runner-up is another article (not the same one in the other language).
  const second = hits.find((h) => h.articleId !== best.articleId);
  const confidence = confidenceOf({ total: best.total, matched: best.matched, titleMatched: best.titleMatched, best: best.rank, second: second?.rank ?? 0 });
  const found = { confidence, articleId: best.articleId, title: best.title, language: best.language, slug: best.slug };
  if (confidence < question.minConfidence) return { answer: null, ...found };
  return { answer: `${best.title}\n\n${excerpt(best.body)}`, ...found };
}
