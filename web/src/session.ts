import { createContext, useContext } from 'react';
import type { Session } from './types';

/** The logged-in session; provided by the auth guard around all protected pages. */
export const SessionContext = createContext<Session | null>(null);

export function useCurrentSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useCurrentSession() used outside of <RequireAuth>');
  return session;
}
