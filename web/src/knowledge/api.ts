import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import type { ArticleInput, KnowledgeArticle, KnowledgeCategory, KnowledgeHit, KnowledgeLanguage } from './types';

export const knowledgeKeys = {
  all: ['knowledge'] as const,
  categories: ['knowledge', 'categories'] as const,
  articles: (filter: object) => ['knowledge', 'articles', filter] as const,
  article: (id: string) => ['knowledge', 'article', id] as const,
  search: (filter: object) => ['knowledge', 'search', filter] as const,
  suggest: (conversationId: string | undefined, text: string) => ['knowledge', 'suggest', conversationId ?? '', text] as const,
};

export function useKnowledgeCategories() {
  return useQuery({
    queryKey: knowledgeKeys.categories,
    queryFn: ({ signal }) => api.get<{ items: KnowledgeCategory[] }>('/api/knowledge/categories', undefined, signal),
    staleTime: 60_000,
  });
}

export function useKnowledgeArticles(filter: { categoryId?: string }) {
  return useQuery({
    queryKey: knowledgeKeys.articles(filter),
    queryFn: ({ signal }) => api.get<{ items: KnowledgeArticle[]; total: number }>('/api/knowledge/articles', { categoryId: filter.categoryId, limit: 200 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useKnowledgeArticle(id: string | undefined) {
  return useQuery({
    queryKey: knowledgeKeys.article(id ?? ''),
    queryFn: ({ signal }) => api.get<KnowledgeArticle>(`/api/knowledge/articles/${encodeURIComponent(id!)}`, undefined, signal),
    enabled: !!id,
  });
}

export function useKnowledgeSearch(filter: { q: string; categoryId?: string; status: 'published' | 'all' }) {
  return useQuery({
    queryKey: knowledgeKeys.search(filter),
    queryFn: ({ signal }) =>
      api.get<{ items: KnowledgeHit[]; mode: 'all' | 'any'; tookMs: number }>('/api/knowledge/search', { q: filter.q, categoryId: filter.categoryId, status: filter.status, limit: 50 }, signal),
    enabled: filter.q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useKnowledgeSuggestions(conversationId: string | undefined, text: string, limit = 5) {
  return useQuery({
    queryKey: knowledgeKeys.suggest(conversationId, text),
    queryFn: ({ signal }) => api.get<{ items: KnowledgeHit[]; language: KnowledgeLanguage | null }>('/api/knowledge/suggest', { conversationId, text: text || undefined, limit }, signal),
    enabled: !!conversationId || text.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

function useInvalidateKnowledge() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: knowledgeKeys.all });
}

export function useSaveArticle() {
  const invalidate = useInvalidateKnowledge();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: ArticleInput }) =>
      id ? api.patch<KnowledgeArticle>(`/api/knowledge/articles/${encodeURIComponent(id)}`, input) : api.post<KnowledgeArticle>('/api/knowledge/articles', input),
    onSuccess: () => void invalidate(),
  });
}

export function useSetPublished() {
  const invalidate = useInvalidateKnowledge();
  return useMutation({
    mutationFn: ({ id, language, published }: { id: string; language: KnowledgeLanguage; published: boolean }) =>
      api.post<KnowledgeArticle>(`/api/knowledge/articles/${encodeURIComponent(id)}/${published ? 'publish' : 'unpublish'}`, { language }),
    onSuccess: () => void invalidate(),
  });
}

export function useDeleteArticle() {
  const invalidate = useInvalidateKnowledge();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/knowledge/articles/${encodeURIComponent(id)}`),
    onSuccess: () => void invalidate(),
  });
}

export function useCreateCategory() {
  const invalidate = useInvalidateKnowledge();
  return useMutation({
    mutationFn: (input: { slug: string; nameNl: string; nameEn: string; position?: number }) => api.post<KnowledgeCategory>('/api/knowledge/categories', input),
    onSuccess: () => void invalidate(),
  });
}
