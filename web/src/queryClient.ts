import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api';
import { sessionQueryKey } from './auth';

function retry(failureCount: number, error: unknown): boolean {
  // Client errors (4xx) will not get better by retrying.
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // A 401 anywhere means the session is gone: drop it so the auth guard redirects to /login.
    queryCache: new QueryCache({ onError: (error) => handleUnauthenticated(error) }),
    mutationCache: new MutationCache({ onError: (error) => handleUnauthenticated(error) }),
    defaultOptions: {
      queries: { retry, refetchOnWindowFocus: false, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });

  function handleUnauthenticated(error: unknown): void {
    if (isApiError(error) && error.status === 401 && client.getQueryData(sessionQueryKey)) {
      client.setQueryData(sessionQueryKey, null);
    }
  }

  return client;
}
