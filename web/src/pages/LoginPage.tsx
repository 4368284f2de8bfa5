import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router-dom';
import { isApiError } from '../api';
import { useLogin, useSession } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { LanguageSwitch } from '../layout/LanguageSwitch';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const login = useLogin();

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [needsWorkspace, setNeedsWorkspace] = useState(false);
  const workspaceRef = useRef<HTMLInputElement>(null);

  const documentTitle = t('app.documentTitle', { page: t('login.submit') });
  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);

  useEffect(() => {
    if (needsWorkspace) workspaceRef.current?.focus();
  }, [needsWorkspace]);

  if (session.data) return <Navigate to="/" replace />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const slug = workspace.trim();
    login.mutate(
      { email: email.trim(), password, ...(needsWorkspace && slug ? { workspace: slug } : {}) },
      {
        onSuccess: () => void navigate('/', { replace: true }),
        onError: (error) => {
          if (isApiError(error) && error.code === 'workspace_required') setNeedsWorkspace(true);
        },
      },
    );
  };

  const workspaceRequired = isApiError(login.error) && login.error.code === 'workspace_required';

  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center px="md" pb="xl">
        <Paper component="main" withBorder shadow="sm" radius="md" p="xl" w="100%" maw={420}>
          <Stack gap={4} mb="lg">
            <Title order={1} size="h2">
              {t('login.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {t('login.subtitle')}
            </Text>
          </Stack>

          <form onSubmit={onSubmit}>
            <Stack>
              {login.isError &&
                (workspaceRequired ? (
                  <Alert color="yellow" variant="light" role="alert" title={t('login.workspace')} data-testid="login-error">
                    {t('errors.workspace_required')}
                  </Alert>
                ) : (
                  <ErrorAlert error={login.error} title={t('login.errorTitle')} testId="login-error" />
                ))}
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                data-testid="login-email"
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                data-testid="login-password"
              />
              {needsWorkspace && (
                <TextInput
                  ref={workspaceRef}
                  label={t('login.workspace')}
                  description={t('login.workspaceDescription')}
                  autoComplete="organization"
                  autoCapitalize="none"
                  spellCheck={false}
                  required
                  value={workspace}
                  onChange={(e) => setWorkspace(e.currentTarget.value)}
                  data-testid="login-workspace"
                />
              )}
              <Button type="submit" fullWidth loading={login.isPending} data-testid="login-submit">
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
