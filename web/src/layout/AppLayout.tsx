import { AppShell, Burger, Button, Divider, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useLogout } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { RoleBadge } from '../components/RoleBadge';
import { OfferPopup } from '../routing/OfferPopup';
import { SlaBreachNotices } from '../sla/SlaBreachNotices';
import { PresenceSelect } from '../routing/PresenceSelect';
import { useCurrentSession } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { isActivePath, navItemsFor } from './navigation';

export function AppLayout() {
  const { t } = useTranslation();
  const { user, workspace } = useCurrentSession();
  const [navOpened, nav] = useDisclosure(false);
  const { pathname } = useLocation();
  // Logging out clears the session query; <RequireAuth> then redirects to /login.
  const logout = useLogout();
  // The desk fills the whole screen below the header; other pages get the usual padding.
  const fullBleed = isActivePath('/inbox', pathname);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: { sm: 200, xl: 240 }, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={fullBleed ? 0 : 'lg'}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Title order={2} size="h3" c="blue.7">
              {t('app.name')}
            </Title>
            <Divider orientation="vertical" visibleFrom="xs" />
            <Text fw={500} truncate="end" visibleFrom="xs" title={t('header.workspace')} data-testid="header-workspace">
              {workspace.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Group gap={6} wrap="nowrap" visibleFrom="sm">
              <Text size="sm" data-testid="header-user">
                {user.name}
              </Text>
              <RoleBadge role={user.role} />
            </Group>
            <PresenceSelect />
            <LanguageSwitch />
            <Button variant="default" size="xs" onClick={() => logout.mutate()} loading={logout.isPending} data-testid="logout">
              {t('header.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" component="nav" aria-label={t('nav.label')}>
        {/* Scrolls when the items outgrow the window (an admin sees some twenty). */}
        <AppShell.Section grow component={ScrollArea} type="auto">
          <Stack gap={4}>
            {navItemsFor(user.role).map((item) => (
              <NavLink
                key={item.path}
                component={Link}
                to={item.path}
                label={t(item.label)}
                active={isActivePath(item.path, pathname)}
                onClick={nav.close}
                data-testid={item.testId}
              />
            ))}
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        {/* Lazy pages load inside the shell, so the header and navigation stay put. */}
        <Suspense fallback={<CenteredLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      {/* Offers of work show on every page, not only on the desk. */}
      <OfferPopup />
      <SlaBreachNotices />
    </AppShell>
  );
}
