export { KnowledgeSuggestions, type KnowledgeSuggestionsProps } from './KnowledgeSuggestions';
export type { KnowledgeHit } from './types';
