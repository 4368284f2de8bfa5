// Search for the desk and the help centre, and suggestions while an agent works a conversation.
import { getConversation, listMessages } from '../conversations/conversations.store.ts';
import type { DbOrTx } from '../platform/db/client.ts';
import { badRequest, notFound } from '../platform/errors.ts';
import { knowledgeLanguages, type KnowledgeLanguage, type TranslationStatus } from './knowledge.schema.ts';
import { snippetParts, type SnippetPart } from './knowledge.ts';
import { searchTranslations, type SearchHit } from './knowledge.store.ts';

export interface PresentedHit {
  articleId: string;
  categoryId: string | null;
  language: KnowledgeLanguage;
  title: string;
  slug: string;
  status: TranslationStatus;
  rank: number;
  snippet: SnippetPart[];
  updatedAt: string;
}

export const presentHit = (h: SearchHit): PresentedHit => ({
  articleId: h.articleId,
  categoryId: h.categoryId,
  language: h.language,
  title: h.title,
  slug: h.slug,
  status: h.status,
  rank: Math.round(h.rank * 10_000) / 10_000,
  snippet: snippetParts(h.headline),
  updatedAt: h.updatedAt.toISOString(),
});

export const asLanguage = (value: string | null | undefined): KnowledgeLanguage | undefined => {
  const short = value?.slice(0, 2).toLowerCase();
  return (knowledgeLanguages as readonly string[]).includes(short ?? '') ? (short as KnowledgeLanguage) : undefined;
};

/**
 * A search box: every word must match (websearch_to_tsquery: "quotes", or, -not); when that finds
 * nothing, any word may (a question typed into a search box). Both languages when none is given.
 */
export async function searchKnowledge(
  db: DbOrTx,
  workspaceId: string,
  o: { text: string; language?: KnowledgeLanguage; publishedOnly: boolean; categoryId?: string; limit: number },
): Promise<{ items: PresentedHit[]; mode: 'all' | 'any' }> {
  const base = { text: o.text, languages: o.language ? [o.language] : knowledgeLanguages, publishedOnly: o.publishedOnly, categoryId: o.categoryId, limit: o.limit };
  const all = await searchTranslations(db, workspaceId, { ...base, mode: 'all' });
  if (all.length > 0) return { items: all.map(presentHit), mode: 'all' };
  return { items: (await searchTranslations(db, workspaceId, { ...base, mode: 'any' })).map(presentHit), mode: 'any' };
}

/** How many of the customer's latest messages feed a suggestion. */
const INBOUND_MESSAGES = 3;

/**
 * Published articles for a conversation: the customer's last messages plus what the agent is
 * typing, searched with any word matching, in the conversation's language when it is nl or en.
 */
export async function suggestArticles(
  db: DbOrTx,
  workspaceId: string,
  o: { conversationId?: string; text?: string; limit: number },
): Promise<{ items: PresentedHit[]; language: KnowledgeLanguage | null }> {
  if (!o.conversationId && !o.text?.trim()) throw badRequest('validation_failed', 'Invalid request: querystring/text give a conversationId or text', [{ path: 'querystring/text', message: 'give a conversationId or text' }]);
  let language: KnowledgeLanguage | undefined;
  let customerText = '';
  if (o.conversationId) {
    const conversation = await getConversation(db, workspaceId, o.conversationId);
    if (!conversation) throw notFound('Conversation');
    language = asLanguage(conversation.language);
    const recent = await listMessages(db, workspaceId, [conversation.id], { limit: 20, includeNotes: false });
    // Newest first: queryWords keeps the first 32 words.
    customerText = recent.filter((m) => m.direction === 'inbound').slice(-INBOUND_MESSAGES).reverse().map((m) => m.body).join(' \n');
  }
  const search = (text: string) =>
    searchTranslations(db, workspaceId, { text, mode: 'any', languages: language ? [language] : knowledgeLanguages, publishedOnly: true, limit: o.limit * 2 });
  // What the agent types says what they are looking for now: those come first, then what fits the customer's words.
  const hits = [...(o.text?.trim() ? await search(o.text) : []), ...(customerText ? await search(customerText) : [])];
  // One entry per article: its best-ranked version.
  const seen = new Set<string>();
  const items = hits.filter((h) => !seen.has(h.articleId) && seen.add(h.articleId)).slice(0, o.limit);
  return { items: items.map(presentHit), language: language ?? null };
}
