import { Anchor, Badge, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { hasRole, useSession } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { useDateFormatters } from '../pages/inbox/format';
import type { Customer } from '../types';
import { useCustomerIdentity, useCustomerSearch, useDecideSuggestion, useEraseCustomer, useMergeCustomer, useUndoMerge, type CustomerSummary } from './api';

const who = (c: CustomerSummary) => c.name || c.email || c.phone || c.id.slice(0, 8);

function ruleLabel(t: TFunction, rule: string | null): string {
  if (!rule || rule === 'manual') return t('customers.identity.byHand');
  if (rule === 'email' || rule === 'phone') return t(`customers.identity.rule.${rule}`);
  return rule.replace(/^attribute:/, '');
}

/**
 * Identity in the desk's customer panel: suggested duplicates (an agent confirms or dismisses),
 * a manual merge, the merge history with undo (supervisors), and the GDPR actions.
 */
export function IdentitySection({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const dates = useDateFormatters();
  const session = useSession();
  const role = session.data?.user.role ?? 'agent';
  const identity = useCustomerIdentity(customer.id);
  const decide = useDecideSuggestion();
  const undo = useUndoMerge();
  const [mergeOpen, mergeModal] = useDisclosure(false);
  const [eraseOpen, eraseModal] = useDisclosure(false);
  const suggestions = identity.data?.suggestions ?? [];
  const merges = identity.data?.merges ?? [];

  if (customer.erasedAt) {
    return (
      <Text size="sm" c="dimmed" data-testid="customer-erased">
        {t('customers.privacy.erased', { date: dates.full(customer.erasedAt) })}
      </Text>
    );
  }
  return (
    <Stack gap={6} data-testid="customer-identity-section">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {t('customers.identity.title')}
      </Text>
      {identity.isError && <ErrorAlert error={identity.error} />}
      {decide.isError && <ErrorAlert error={decide.error} />}
      {undo.isError && <ErrorAlert error={undo.error} />}
      {suggestions.length > 0 && (
        <Stack gap={4} data-testid="merge-suggestions">
          <Text size="sm" fw={600}>
            {t('customers.identity.suggestions')}
          </Text>
          {suggestions.map((s) => (
            <Stack key={s.id} gap={2} p={6} style={{ border: '1px solid var(--mantine-color-yellow-4)', borderRadius: 6 }} data-testid="merge-suggestion">
              <Text size="sm" fw={500}>
                {who(s.other)}
              </Text>
              <Text size="xs" c="dimmed">
                {t('customers.identity.suggestionReason', { rule: ruleLabel(t, s.rule), value: s.value })}
              </Text>
              <Group gap={6}>
                <Button size="compact-xs" loading={decide.isPending} onClick={() => decide.mutate({ id: s.id, decision: 'merge', survivorId: customer.id })} data-testid="merge-suggestion-accept">
                  {t('customers.identity.merge')}
                </Button>
                <Button size="compact-xs" variant="default" loading={decide.isPending} onClick={() => decide.mutate({ id: s.id, decision: 'dismiss' })} data-testid="merge-suggestion-dismiss">
                  {t('customers.identity.dismiss')}
                </Button>
              </Group>
            </Stack>
          ))}
        </Stack>
      )}
      {merges.length > 0 && (
        <Stack gap={2} data-testid="merge-history">
          <Text size="xs" c="dimmed">
            {t('customers.identity.history')}
          </Text>
          {merges.map((m) => (
            <Group key={m.id} gap={6} justify="space-between" wrap="nowrap" data-testid="merge-history-item" data-undone={m.undoneAt ? 'true' : 'false'}>
              <Text size="xs" style={{ textDecoration: m.undoneAt ? 'line-through' : undefined }}>
                {dates.full(m.createdAt)} · {m.rule ? t('customers.identity.byRule', { rule: ruleLabel(t, m.rule) }) : t('customers.identity.byHand')} ·{' '}
                {t('customers.identity.mergedIn', { count: m.conversations, identities: m.identities })}
              </Text>
              {m.undoneAt ? (
                <Badge size="xs" variant="light" color="gray">
                  {t('customers.identity.undone')}
                </Badge>
              ) : (
                hasRole(role, 'supervisor') &&
                m.survivorId === customer.id && (
                  <Button size="compact-xs" variant="subtle" loading={undo.isPending} onClick={() => undo.mutate(m.id)} data-testid="merge-undo">
                    {t('customers.identity.undo')}
                  </Button>
                )
              )}
            </Group>
          ))}
        </Stack>
      )}
      <Group gap={6}>
        <Button size="compact-xs" variant="light" onClick={mergeModal.open} data-testid="merge-open">
          {t('customers.identity.mergeWith')}
        </Button>
        {hasRole(role, 'supervisor') && (
          <Anchor size="xs" href={`/api/customers/${encodeURIComponent(customer.id)}/export`} download data-testid="customer-export">
            {t('customers.privacy.export')}
          </Anchor>
        )}
        {hasRole(role, 'admin') && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={eraseModal.open} data-testid="customer-erase-open">
            {t('customers.privacy.erase')}
          </Button>
        )}
      </Group>
      <MergeModal opened={mergeOpen} onClose={mergeModal.close} customer={customer} />
      <EraseModal opened={eraseOpen} onClose={eraseModal.close} customer={customer} />
    </Stack>
  );
}

function MergeModal({ opened, onClose, customer }: { opened: boolean; onClose: () => void; customer: Customer }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const search = useCustomerSearch(debounced);
  const merge = useMergeCustomer(customer.id);
  const candidates = (search.data?.items ?? []).filter((c) => c.id !== customer.id);
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.identity.mergeTitle')}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('customers.identity.mergeHint')}
        </Text>
        <TextInput label={t('customers.identity.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-autofocus data-testid="merge-search" />
        {merge.isError && <ErrorAlert error={merge.error} />}
        {debounced.trim().length >= 2 && search.isSuccess && candidates.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('customers.identity.noResults')}
          </Text>
        )}
        {candidates.map((c) => (
          <Group key={c.id} justify="space-between" wrap="nowrap" data-testid="merge-candidate">
            <Stack gap={0} miw={0}>
              <Text size="sm" truncate="end">
                {who(c)}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                {[c.email, c.phone].filter(Boolean).join(' · ')}
              </Text>
            </Stack>
            <Button
              size="compact-sm"
              loading={merge.isPending}
              onClick={() =>
                merge.mutate(c.id, {
                  onSuccess: () => {
                    setQ('');
                    onClose();
                  },
                })
              }
              data-testid="merge-candidate-merge"
            >
              {t('customers.identity.merge')}
            </Button>
          </Group>
        ))}
      </Stack>
    </Modal>
  );
}

function EraseModal({ opened, onClose, customer }: { opened: boolean; onClose: () => void; customer: Customer }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const erase = useEraseCustomer(customer.id);
  const word = t('customers.privacy.eraseConfirmWord');
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.privacy.eraseTitle')}>
      <Stack gap="sm">
        <Text size="sm">{t('customers.privacy.eraseText')}</Text>
        <TextInput label={t('customers.privacy.eraseConfirmLabel')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} data-testid="customer-erase-confirm" />
        {erase.isError && <ErrorAlert error={erase.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" disabled={typed.trim().toUpperCase() !== word} loading={erase.isPending} onClick={() => erase.mutate(undefined, { onSuccess: onClose })} data-testid="customer-erase">
            {t('customers.privacy.erase')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
