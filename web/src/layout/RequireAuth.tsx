import { Button, Center, Stack } from '@mantine/core';
import { Navigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { SessionContext } from '../session';
import { AppLayout } from './AppLayout';
import { RealtimeProvider } from './RealtimeProvider';

/** Loads the session (`GET /api/auth/me`) and redirects to /login when there is none. */
export function RequireAuth() {
  const { t } = useTranslation();
  const session = useSession();

  if (session.data === null) return <Navigate to="/login" replace />;

  if (session.data === undefined) {
    if (session.isError) {
      return (
        <Center h="100vh" p="md">
          <Stack maw={480} w="100%">
            <ErrorAlert error={session.error} />
            <Button variant="light" onClick={() => void session.refetch()} loading={session.isFetching}>
              {t('common.tryAgain')}
            </Button>
          </Stack>
        </Center>
      );
    }
    return <CenteredLoader fullScreen />;
  }

  // Once we have a session, keep showing the app even if a background re-check fails
  // (e.g. the server is briefly unreachable); a 401 sets the session to null instead.
  return (
    <SessionContext.Provider value={session.data}>
      <RealtimeProvider>
        <AppLayout />
      </RealtimeProvider>
    </SessionContext.Provider>
  );
}
