import { Badge, Box, Center, Divider, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ConversationAutomation } from '../../automation/ConversationAutomation';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IdentitySection } from '../../customers/IdentitySection';
import { useCustomerValue } from '../../clv/api';
import { churnColor, TIER_COLORS, useValueFormatters } from '../../clv/format';
import type { Conversation } from '../../types';
import { conversationPreview, customerLabel, useDateFormatters, useNow } from './format';
import { ChannelIcon } from './icons';
import { channelName, STATUS_COLORS } from './labels';
import { useCustomer, useCustomerConversations } from './queries';

function Field({ label, value, testId }: { label: string; value: string | null | undefined; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
        {value || t('common.none')}
      </Text>
    </Box>
  );
}

function attributeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

const VALUE_ATTRIBUTES = new Set(['valueTier', 'churnRisk', 'pAlive', 'expectedPurchases52w', 'clv', 'clvModelVersion', 'scoredAt']);

/** The customer's lifetime value from GET /api/customers/:id/value: tier, expected CLV, churn risk, P(alive), orders. */
function CustomerValueSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const value = useCustomerValue(customerId);
  const f = useValueFormatters(value.data?.currency);
  const v = value.data;
  return (
    <Stack gap={4} data-testid="customer-value">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {t('clv.panel.title')}
      </Text>
      {value.isPending ? (
        <Loader size="xs" />
      ) : value.isError ? (
        <ErrorAlert error={value.error} />
      ) : !v!.scored ? (
        <>
          <Text size="sm" c="dimmed" data-testid="customer-value-unscored">
            {t('clv.panel.notScored')}
          </Text>
          <Field label={t('clv.panel.orders')} value={String(v!.orders)} testId="customer-value-orders" />
        </>
      ) : (
        <>
          <Group gap={6}>
            <Badge color={TIER_COLORS[v!.valueTier ?? 'none']} variant="light" data-testid="customer-value-tier" data-tier={v!.valueTier ?? 'none'}>
              {t(`clv.tier.${v!.valueTier ?? 'none'}`)}
            </Badge>
          </Group>
          <Field label={t('clv.panel.clv')} value={v!.clv === null ? null : f.money(v!.clv)} testId="customer-value-clv" />
          <Box>
            <Text size="xs" c="dimmed">
              {t('clv.panel.churnRisk')}
            </Text>
            <Text size="sm" fw={600} c={v!.churnRisk === null ? 'dimmed' : churnColor(v!.churnRisk)} data-testid="customer-value-churn" data-high={v!.churnRisk !== null && v!.churnRisk >= 0.5 ? 'true' : 'false'}>
              {v!.churnRisk === null ? t('clv.panel.churnUnknown') : f.percent(v!.churnRisk)}
            </Text>
          </Box>
          <Field label={t('clv.panel.pAlive')} value={v!.pAlive === null ? null : f.percent(v!.pAlive)} testId="customer-value-palive" />
          <Field label={t('clv.panel.orders')} value={String(v!.orders)} testId="customer-value-orders" />
        </>
      )}
    </Stack>
  );
}

/** The customer behind the open conversation, and their other conversations on every channel. */
export function CustomerPanel({ conversation, linkSearch }: { conversation: Conversation; linkSearch: string }) {
  const { t } = useTranslation();
  const dates = useDateFormatters();
  const now = useNow(60_000);
  const customer = useCustomer(conversation.customer.id);
  const history = useCustomerConversations(conversation.customer.id);
  // Until the customer loads, show what the conversation already knows.
  const c = customer.data ?? { ...conversation.customer, language: null, attributes: {}, identities: [], createdAt: null };
  // The lifetime-value scores have their own section; the raw attributes would repeat them.
  const attributes = Object.entries(c.attributes ?? {}).filter(([key]) => !VALUE_ATTRIBUTES.has(key));
  const conversationAttributes = Object.entries(conversation.attributes ?? {});

  return (
    <Stack gap="md" p="md" data-testid="customer-panel" h="100%" style={{ overflowY: 'auto' }}>
      <Stack gap={6}>
        <Title order={2} size="h5" data-testid="customer-name" style={{ overflowWrap: 'anywhere' }}>
          {customerLabel(t, c)}
        </Title>
        {customer.isError && <ErrorAlert error={customer.error} />}
        <Field label={t('inbox.customer.email')} value={c.email} testId="customer-email" />
        <Field label={t('inbox.customer.phone')} value={c.phone} testId="customer-phone" />
        {c.language && <Field label={t('inbox.customer.language')} value={c.language} />}
        {c.createdAt && <Field label={t('inbox.customer.since')} value={dates.full(c.createdAt)} />}
      </Stack>

      <CustomerValueSection customerId={conversation.customer.id} />

      {customer.data && <IdentitySection customer={customer.data} />}

      {c.identities.length > 0 && (
        <Stack gap={4}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {t('inbox.customer.identities')}
          </Text>
          {c.identities.map((identity) => (
            <Group key={`${identity.channelType}:${identity.externalId}`} gap={6} wrap="nowrap" data-testid="customer-identity">
              <Box c="dimmed" style={{ display: 'flex', flexShrink: 0 }}>
                <ChannelIcon type={identity.channelType} size={14} />
              </Box>
              <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                {channelName(t, identity.channelType)}
              </Text>
              <Text size="xs" truncate="end" title={identity.externalId}>
                {identity.externalId}
              </Text>
              {identity.verified && (
                <Badge size="xs" color="green" variant="light" style={{ flexShrink: 0 }}>
                  {t('inbox.customer.verified')}
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      )}

      {attributes.length > 0 && (
        <Stack gap={4}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {t('inbox.customer.attributes')}
          </Text>
          {attributes.map(([key, value]) => (
            <Field key={key} label={key} value={attributeText(value)} />
          ))}
        </Stack>
      )}

      <Divider />

      <Stack gap={4}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t('inbox.customer.conversation')}
        </Text>
        <Field label={t('inbox.customer.startedAt')} value={dates.full(conversation.createdAt)} />
        {conversation.queue && <Field label={t('inbox.customer.queue')} value={conversation.queue} />}
        {conversation.language && <Field label={t('inbox.customer.language')} value={conversation.language} />}
        {conversationAttributes.map(([key, value]) => (
          <Field key={key} label={key} value={attributeText(value)} />
        ))}
      </Stack>

      <ConversationAutomation conversation={conversation} />

      <Divider />

      <Stack gap={4}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t('inbox.customer.history')}
        </Text>
        {history.isPending ? (
          <Center>
            <Loader size="xs" />
          </Center>
        ) : history.isError ? (
          <ErrorAlert error={history.error} />
        ) : (
          <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: 'none' }} data-testid="customer-conversations">
            {history.data.items.map((item) => (
              <HistoryItem key={item.id} item={item} current={item.id === conversation.id} href={`/inbox/${item.id}${linkSearch}`} now={now} />
            ))}
            {history.data.items.length === 0 && (
              <Text size="xs" c="dimmed">
                {t('inbox.customer.noHistory')}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}

function HistoryItem({ item, current, href, now }: { item: Conversation; current: boolean; href: string; now: number }) {
  const { t } = useTranslation();
  const dates = useDateFormatters();
  return (
    <li>
      <Box
        component={Link}
        to={href}
        aria-current={current ? 'page' : undefined}
        data-testid="customer-conversation"
        data-conversation-id={item.id}
        className="hoorn-row"
        style={{
          display: 'block',
          padding: '6px 8px',
          borderRadius: 6,
          textDecoration: 'none',
          color: 'inherit',
          background: current ? 'var(--mantine-color-blue-0)' : undefined,
        }}
      >
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Group gap={4} wrap="nowrap" miw={0}>
            <Box c="dimmed" style={{ display: 'flex', flexShrink: 0 }} aria-label={channelName(t, item.channelType)}>
              <ChannelIcon type={item.channelType} size={12} />
            </Box>
            <Badge size="xs" variant="light" color={STATUS_COLORS[item.status]} style={{ flexShrink: 0 }}>
              {t(`inbox.status.${item.status}`)}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} title={dates.full(item.lastActivityAt)}>
            {dates.relative(item.lastActivityAt, now)}
          </Text>
        </Group>
        <Text size="xs" truncate="end" mt={2}>
          {item.subject ? `${item.subject} · ` : ''}
          {conversationPreview(t, item)}
        </Text>
      </Box>
    </li>
  );
}
