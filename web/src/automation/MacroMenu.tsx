import { Badge, Button, Menu, Modal, Notification, Portal, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { refreshLatestMessages, upsertConversation } from '../pages/inbox/queries';
import { useQueues } from '../routing/api';
import { useCurrentSession } from '../session';
import type { Conversation } from '../types';
import { useMacros, useRunMacro } from './api';
import { namesFrom } from './labels';
import { MacrosManager } from './MacrosTab';
import { ActionOutcomeLine } from './RunOutcomes';
import type { MacroRunResult } from './types';

type Outcome = { conversationId: string; name: string } & ({ results: MacroRunResult['results'] } | { error: unknown });

/**
 * The desk's "Macros" menu for the open conversation: choosing one runs it (all of its actions or
 * none) and a notice says what each action did, or why the macro was refused.
 */
export function MacroMenu({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const queryClient = useQueryClient();
  const macros = useMacros();
  const run = useRunMacro();
  const queues = useQueues();
  const names = useMemo(() => namesFrom({ queues: queues.data?.items }), [queues.data]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [managing, setManaging] = useState(false);
  const items = macros.data?.items ?? [];

  // A success notice goes away by itself; a refusal stays until the agent closes it.
  useEffect(() => {
    if (!outcome || 'error' in outcome) return;
    const timer = setTimeout(() => setOutcome(null), 8000);
    return () => clearTimeout(timer);
  }, [outcome]);

  const runMacro = (macroId: string, name: string) => {
    setOutcome(null);
    run.mutate(
      { conversationId, macroId, name },
      {
        onSuccess: (data) => {
          upsertConversation(queryClient, data.conversation as unknown as Conversation, user.id);
          void refreshLatestMessages(queryClient, conversationId);
          setOutcome({ conversationId, name, results: data.results });
        },
        onError: (error) => setOutcome({ conversationId, name, error }),
      },
    );
  };

  const shown = outcome?.conversationId === conversationId ? outcome : null;

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="xs" variant="default" loading={run.isPending} data-testid="macro-menu">
            {t('automation.macros.menu')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown data-testid="macro-menu-dropdown">
          {macros.isPending && <Menu.Label>{t('common.loading')}</Menu.Label>}
          {!macros.isPending && items.length === 0 && <Menu.Label>{t('automation.macros.none')}</Menu.Label>}
          {items.map((macro) => (
            <Menu.Item
              key={macro.id}
              onClick={() => runMacro(macro.id, macro.name)}
              rightSection={macro.personal ? <Badge size="xs" variant="light" color="grape">{t('automation.macros.personal')}</Badge> : null}
              data-testid="macro-menu-item"
              data-name={macro.name}
            >
              {macro.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setManaging(true)} data-testid="macro-manage">
            {t('automation.macros.manage')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>

      <Modal opened={managing} onClose={() => setManaging(false)} title={t('automation.macros.title')} size="xl" data-testid="macro-manage-modal">
        {managing && <MacrosManager t={t} />}
      </Modal>

      {shown && (
        <Portal>
          <Notification
            color={'error' in shown ? 'red' : 'green'}
            withBorder
            title={'error' in shown ? t('automation.macros.refused', { name: shown.name }) : t('automation.macros.ran', { name: shown.name })}
            onClose={() => setOutcome(null)}
            closeButtonProps={{ 'aria-label': t('common.close') }}
            style={{ position: 'fixed', top: 72, right: 16, zIndex: 400, width: 380, maxWidth: 'calc(100vw - 32px)' }}
            data-testid="macro-outcome"
            data-ok={'error' in shown ? 'false' : 'true'}
          >
            {'error' in shown ? (
              <ErrorText error={shown.error} />
            ) : (
              <Stack gap={2}>
                {shown.results.map((result, i) => (
                  <ActionOutcomeLine key={i} t={t} result={result} names={names} testId="macro-outcome-action" />
                ))}
              </Stack>
            )}
          </Notification>
        </Portal>
      )}
    </>
  );
}

function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { message, detail } = describeError(t, error);
  return (
    <Stack gap={2} data-testid="macro-outcome-error">
      <Text size="sm">{message}</Text>
      {detail && <Text size="xs" c="dimmed">{detail}</Text>}
    </Stack>
  );
}
