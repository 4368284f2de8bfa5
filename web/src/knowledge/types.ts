export const KNOWLEDGE_LANGUAGES = ['nl', 'en'] as const;
export type KnowledgeLanguage = (typeof KNOWLEDGE_LANGUAGES)[number];
export type TranslationStatus = 'draft' | 'published';

export interface KnowledgeCategory {
  id: string;
  slug: string;
  nameNl: string;
  nameEn: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface KnowledgeTranslation {
  language: KnowledgeLanguage;
  title: string;
  slug: string;
  /** Markdown; absent in lists. */
  body?: string;
  status: TranslationStatus;
  publishedAt: string | null;
  updatedAt: string;
  /** The public help-centre address. */
  url: string;
}

export interface KnowledgeArticle {
  id: string;
  categoryId: string | null;
  tags: string[];
  views: number;
  createdAt: string;
  updatedAt: string;
  translations: Record<KnowledgeLanguage, KnowledgeTranslation | null>;
}

export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface KnowledgeHit {
  articleId: string;
  categoryId: string | null;
  language: KnowledgeLanguage;
  title: string;
  slug: string;
  status: TranslationStatus;
  rank: number;
  snippet: SnippetPart[];
  url: string;
  updatedAt: string;
}

export interface TranslationInput {
  title: string;
  slug?: string;
  body: string;
}

export interface ArticleInput {
  categoryId?: string | null;
  tags?: string[];
  translations?: Partial<Record<KnowledgeLanguage, TranslationInput | null>>;
}
