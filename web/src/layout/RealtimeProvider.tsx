import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { sessionQueryKey } from '../auth';
import { RealtimeConnection, RealtimeContext } from '../realtime';

/** Owns the app's one WebSocket to `/api/realtime` for as long as the user is logged in. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [connection] = useState(() => new RealtimeConnection());

  useEffect(() => {
    connection.start();
    // The socket may have closed because the session expired; re-check it.
    const unsubscribe = connection.subscribe({
      current: { onClose: () => void queryClient.invalidateQueries({ queryKey: sessionQueryKey }) },
    });
    return () => {
      unsubscribe();
      connection.stop();
    };
  }, [connection, queryClient]);

  return <RealtimeContext.Provider value={connection}>{children}</RealtimeContext.Provider>;
}
