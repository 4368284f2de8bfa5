import { ActionIcon, Badge, Button, Group, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormatDate } from '../format';
import { useChannels } from '../pages/inbox/queries';
import { useCampaignPreview, useCampaignRecipients, useCampaignResults, useCampaigns, useCancelCampaign, useDeleteCampaign, useLaunchCampaign, useSaveCampaign } from './api';
import { ATTRIBUTE_OPS, CAMPAIGN_CHANNEL_TYPES, RECIPIENT_STATUSES, SKIP_REASONS, VALUE_TIERS, type AttributeCondition, type AttributeOp, type Campaign, type CampaignBody, type CampaignRecipient, type CampaignStatus, type RecipientStatus } from './types';

const STATUS_COLORS: Record<CampaignStatus, string> = { draft: 'gray', scheduled: 'blue', sending: 'orange', done: 'green', canceled: 'red' };
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Supervisor tab: campaigns with their status; drafts are edited, previewed and launched here. */
export function CampaignsTab({ t }: { t: TFunction }) {
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  return (
    <Paper withBorder p="md" data-testid="automation-campaigns">
      {editing ? <CampaignEditor t={t} campaign={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : <CampaignList t={t} onEdit={setEditing} />}
    </Paper>
  );
}

function CampaignList({ t, onEdit }: { t: TFunction; onEdit: (campaign: Campaign | 'new') => void }) {
  const campaigns = useCampaigns();
  const channels = useChannels();
  const remove = useDeleteCampaign();
  const launch = useLaunchCampaign();
  const cancel = useCancelCampaign();
  const formatDate = useFormatDate();
  const [open, setOpen] = useState<{ id: string; view: 'preview' | 'results' | 'recipients' } | null>(null);
  const channelName = useMemo(() => new Map((channels.data?.items ?? []).map((c) => [c.id, c.name])), [channels.data]);
  const items = campaigns.data?.items ?? [];
  const busy = remove.isPending || launch.isPending || cancel.isPending;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>{t('automation.campaigns.description')}</Text>
        <Button onClick={() => onEdit('new')} data-testid="campaign-add">{t('automation.campaigns.add')}</Button>
      </Group>
      {campaigns.isPending ? <CenteredLoader /> : <ErrorAlert error={campaigns.error} />}
      <ErrorAlert error={remove.error ?? launch.error ?? cancel.error} />
      {!campaigns.isPending && items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="campaigns-empty">{t('automation.campaigns.empty')}</Text>
      ) : (
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('automation.campaigns.name')}</Table.Th>
              <Table.Th>{t('automation.campaigns.channel')}</Table.Th>
              <Table.Th>{t('automation.campaigns.status')}</Table.Th>
              <Table.Th>{t('automation.campaigns.created')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => {
              const draft = c.status === 'draft';
              const shown = open?.id === c.id ? open.view : null;
              return [
                <Table.Tr key={c.id} data-testid="campaign-row" data-campaign-id={c.id} data-name={c.name} data-status={c.status}>
                  <Table.Td><Text size="sm" fw={500}>{c.name}</Text></Table.Td>
                  <Table.Td><Text size="sm">{channelName.get(c.channelId) ?? c.channelId}</Text></Table.Td>
                  <Table.Td><Badge size="sm" variant="light" color={STATUS_COLORS[c.status]}>{t(`automation.campaigns.statuses.${c.status}`)}</Badge></Table.Td>
                  <Table.Td><Text size="xs">{formatDate(c.createdAt)}</Text></Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {draft ? (
                        <>
                          <Button size="xs" variant="default" onClick={() => onEdit(c)} data-testid="campaign-edit">{t('automation.campaigns.edit')}</Button>
                          <Button size="xs" variant={shown === 'preview' ? 'light' : 'default'} onClick={() => setOpen(shown === 'preview' ? null : { id: c.id, view: 'preview' })} data-testid="campaign-preview">
                            {t('automation.campaigns.preview')}
                          </Button>
                          <Button size="xs" disabled={busy} onClick={() => window.confirm(t('automation.campaigns.confirmLaunch', { name: c.name })) && launch.mutate(c.id, { onSuccess: () => setOpen({ id: c.id, view: 'results' }) })} data-testid="campaign-launch">
                            {t('automation.campaigns.launch')}
                          </Button>
                          <ActionIcon variant="subtle" color="red" aria-label={t('automation.campaigns.delete')} disabled={busy} onClick={() => window.confirm(t('automation.campaigns.confirmDelete', { name: c.name })) && remove.mutate(c.id)} data-testid="campaign-delete">
                            ×
                          </ActionIcon>
                        </>
                      ) : (
                        <>
                          <Button size="xs" variant={shown === 'results' ? 'light' : 'default'} onClick={() => setOpen(shown === 'results' ? null : { id: c.id, view: 'results' })} data-testid="campaign-results">
                            {t('automation.campaigns.results')}
                          </Button>
                          <Button size="xs" variant={shown === 'recipients' ? 'light' : 'default'} onClick={() => setOpen(shown === 'recipients' ? null : { id: c.id, view: 'recipients' })} data-testid="campaign-recipients">
                            {t('automation.campaigns.showRecipients')}
                          </Button>
                          {(c.status === 'scheduled' || c.status === 'sending') && (
                            <Button size="xs" color="red" variant="light" disabled={busy} onClick={() => window.confirm(t('automation.campaigns.confirmCancel', { name: c.name })) && cancel.mutate(c.id)} data-testid="campaign-cancel">
                              {t('automation.campaigns.cancel')}
                            </Button>
                          )}
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>,
                shown && (
                  <Table.Tr key={`${c.id}-detail`}>
                    <Table.Td colSpan={5}>{shown === 'preview' ? <Preview t={t} id={c.id} /> : shown === 'results' ? <Results t={t} id={c.id} /> : <Recipients t={t} id={c.id} />}</Table.Td>
                  </Table.Tr>
                ),
              ];
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <Stack gap={0} data-testid={testId}>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="lg" fw={600}>{value}</Text>
    </Stack>
  );
}

function Preview({ t, id }: { t: TFunction; id: string }) {
  const preview = useCampaignPreview(id, true);
  if (preview.isPending) return <CenteredLoader />;
  if (preview.error) return <ErrorAlert error={preview.error} />;
  const p = preview.data;
  return (
    <Stack gap="xs" data-testid="campaign-preview-panel">
      <Text size="sm" fw={600}>{t('automation.campaigns.previewTitle')}</Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label={t('automation.campaigns.size')} value={p.size} testId="campaign-preview-size" />
        <Figure label={t('automation.campaigns.sendable')} value={p.sendable} testId="campaign-preview-sendable" />
      </SimpleGrid>
      <Text size="xs" fw={600}>{t('automation.campaigns.skipped')}</Text>
      <Group gap="xs">
        {SKIP_REASONS.filter((reason) => (p.skipped[reason] ?? 0) > 0).map((reason) => (
          <Badge key={reason} variant="light" color="gray" tt="none" data-testid="campaign-preview-skipped" data-reason={reason}>
            {t(`automation.campaigns.skipReasons.${reason}`)}: {p.skipped[reason]}
          </Badge>
        ))}
        {SKIP_REASONS.every((reason) => !p.skipped[reason]) && <Text size="xs" c="dimmed">{t('common.none')}</Text>}
      </Group>
    </Stack>
  );
}

function Results({ t, id }: { t: TFunction; id: string }) {
  const { i18n } = useTranslation();
  const results = useCampaignResults(id, true);
  if (results.isPending) return <CenteredLoader />;
  if (results.error) return <ErrorAlert error={results.error} />;
  const r = results.data;
  const revenue = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language, { style: 'currency', currency: r.convertedRevenue.currency || 'EUR' }).format(r.convertedRevenue.amount);
  return (
    <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }} data-testid="campaign-results-panel">
      <Figure label={t('automation.campaigns.recipients')} value={r.recipients} testId="campaign-result-recipients" />
      <Figure label={t('automation.campaigns.pending')} value={r.pending} testId="campaign-result-pending" />
      <Figure label={t('automation.campaigns.sent')} value={r.sent} testId="campaign-result-sent" />
      <Figure label={t('automation.campaigns.delivered')} value={r.delivered} testId="campaign-result-delivered" />
      <Figure label={t('automation.campaigns.failed')} value={r.failed} testId="campaign-result-failed" />
      <Figure label={t('automation.campaigns.replied')} value={r.replied} testId="campaign-result-replied" />
      <Figure label={t('automation.campaigns.optedOut')} value={r.skipped.opted_out ?? 0} testId="campaign-result-opted-out" />
      <Figure label={t('automation.campaigns.revenue')} value={revenue} testId="campaign-result-revenue" />
    </SimpleGrid>
  );
}

/** What a recipient came to, for the list: a skip reason, pending, sent, or further replied or converted. */
function outcomeOf(t: TFunction, r: CampaignRecipient): { key: string; text: string; color: string } {
  const progress = (key: 'pending' | 'sent' | 'replied' | 'converted', color: string) => ({ key, text: t(`automation.campaigns.recipientStatuses.${key}`), color });
  if (r.status === 'sent') return r.converted ? progress('converted', 'grape') : r.repliedAt ? progress('replied', 'teal') : progress('sent', 'green');
  if (r.status === 'pending') return progress('pending', 'blue');
  return { key: r.status, text: t(`automation.campaigns.skipReasons.${r.status}`), color: r.status === 'failed' ? 'red' : 'gray' };
}

/** A launched campaign's recipients in sending order, filtered by status, fifty at a time. */
function Recipients({ t, id }: { t: TFunction; id: string }) {
  const [status, setStatus] = useState<RecipientStatus | null>(null);
  const recipients = useCampaignRecipients(id, status);
  const formatDate = useFormatDate();
  const items = recipients.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="xs" data-testid="campaign-recipients-panel">
      <Group justify="space-between">
        <Text size="sm" fw={600}>{t('automation.campaigns.recipientsTitle')}</Text>
        <Select
          size="xs"
          w={200}
          aria-label={t('automation.campaigns.recipientStatus')}
          value={status ?? 'all'}
          allowDeselect={false}
          onChange={(v) => setStatus(v && v !== 'all' ? (v as RecipientStatus) : null)}
          data={[
            { value: 'all', label: t('automation.campaigns.allStatuses') },
            ...RECIPIENT_STATUSES.map((s) => ({ value: s, label: s === 'pending' || s === 'sent' ? t(`automation.campaigns.recipientStatuses.${s}`) : t(`automation.campaigns.skipReasons.${s}`) })),
          ]}
          data-testid="campaign-recipients-status"
        />
      </Group>
      {recipients.isPending ? <CenteredLoader /> : <ErrorAlert error={recipients.error} />}
      {!recipients.isPending && items.length === 0 ? (
        <Text size="xs" c="dimmed">{t('automation.campaigns.recipientsEmpty')}</Text>
      ) : (
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('automation.campaigns.recipientName')}</Table.Th>
              <Table.Th>{t('automation.campaigns.recipientStatus')}</Table.Th>
              <Table.Th>{t('automation.campaigns.recipientDue')}</Table.Th>
              <Table.Th>{t('automation.campaigns.recipientSent')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => {
              const outcome = outcomeOf(t, r);
              return (
                <Table.Tr key={r.id} data-testid="campaign-recipient" data-status={r.status} data-outcome={outcome.key}>
                  <Table.Td><Text size="xs">{r.position + 1}</Text></Table.Td>
                  <Table.Td><Text size="xs">{r.name ?? r.customerId}</Text></Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="light" color={outcome.color} tt="none">{outcome.text}</Badge>
                    {r.error && <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }}>{r.error}</Text>}
                  </Table.Td>
                  <Table.Td><Text size="xs">{r.dueAt ? formatDate(r.dueAt) : '—'}</Text></Table.Td>
                  <Table.Td><Text size="xs">{r.sentAt ? formatDate(r.sentAt) : '—'}</Text></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {recipients.hasNextPage && (
        <Group justify="center">
          <Button variant="default" size="xs" onClick={() => void recipients.fetchNextPage()} loading={recipients.isFetchingNextPage} data-testid="campaign-recipients-more">{t('common.loadMore')}</Button>
        </Group>
      )}
    </Stack>
  );
}

const emptyCampaign = (): CampaignBody => ({
  name: '',
  channelId: '',
  message: { text: '' },
  segment: { hasIdentity: true },
  quietHours: null,
  ratePerMinute: null,
  scheduledAt: null,
  dynamic: false,
  endsAt: null,
});

function bodyOf(c: Campaign): CampaignBody {
  return {
    name: c.name,
    channelId: c.channelId,
    message: c.message,
    segment: c.segment,
    quietHours: c.quietHours,
    ratePerMinute: c.ratePerMinute,
    scheduledAt: c.scheduledAt,
    dynamic: c.dynamic,
    endsAt: c.endsAt,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO instant as the value of a datetime-local input (the browser's time zone), and back. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The key/op/value rows of a segment's attribute conditions. */
function AttributeRows({ t, rows, onChange }: { t: TFunction; rows: AttributeCondition[]; onChange: (rows: AttributeCondition[]) => void }) {
  const set = (i: number, patch: Partial<AttributeCondition>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap={4} data-testid="campaign-attributes">
      <Text size="sm" fw={500}>{t('automation.campaigns.attributes')}</Text>
      {rows.map((row, i) => (
        <Group key={i} gap="xs" align="flex-end" wrap="nowrap" data-testid="campaign-attribute-row">
          <TextInput size="xs" aria-label={t('automation.campaigns.attributeKey')} placeholder={t('automation.campaigns.attributeKey')} maxLength={100} value={row.key} onChange={(e) => set(i, { key: e.currentTarget.value })} data-testid="campaign-attribute-key" />
          <Select
            size="xs"
            w={170}
            aria-label={t('automation.campaigns.attributeOp')}
            allowDeselect={false}
            value={row.op}
            onChange={(v) => set(i, { op: (v ?? 'eq') as AttributeOp })}
            data={ATTRIBUTE_OPS.map((op) => ({ value: op, label: t(`automation.campaigns.ops.${op}`) }))}
            data-testid="campaign-attribute-op"
          />
          {row.op !== 'exists' && (
            <TextInput
              size="xs"
              aria-label={t('automation.campaigns.attributeValue')}
              placeholder={t('automation.campaigns.attributeValue')}
              value={row.value === undefined ? '' : String(row.value)}
              onChange={(e) => set(i, { value: e.currentTarget.value })}
              data-testid="campaign-attribute-value"
            />
          )}
          <ActionIcon variant="subtle" color="red" aria-label={t('automation.campaigns.removeAttribute')} onClick={() => onChange(rows.filter((_, j) => j !== i))}>×</ActionIcon>
        </Group>
      ))}
      <Group>
        <Button size="xs" variant="subtle" onClick={() => onChange([...rows, { key: '', op: 'eq', value: '' }])} data-testid="campaign-attribute-add">{t('automation.campaigns.addAttribute')}</Button>
      </Group>
    </Stack>
  );
}

/** Typed values for the server: numbers for the comparisons, true/false as booleans for equality. */
function typedConditions(rows: AttributeCondition[]): AttributeCondition[] {
  return rows
    .filter((r) => r.key.trim())
    .map((r) => {
      const key = r.key.trim();
      if (r.op === 'exists') return { key, op: r.op };
      const raw = typeof r.value === 'string' ? r.value.trim() : r.value;
      if (['gt', 'gte', 'lt', 'lte'].includes(r.op) && typeof raw === 'string' && raw !== '' && Number.isFinite(Number(raw))) return { key, op: r.op, value: Number(raw) };
      if ((r.op === 'eq' || r.op === 'ne') && (raw === 'true' || raw === 'false')) return { key, op: r.op, value: raw === 'true' };
      return { key, op: r.op, value: raw ?? '' };
    });
}

/** A draft: name, channel, message (subject for e-mail, template for WhatsApp), segment, quiet hours, pace. */
function CampaignEditor({ t, campaign, onDone }: { t: TFunction; campaign: Campaign | null; onDone: () => void }) {
  const save = useSaveCampaign();
  const channels = useChannels();
  const [form, setForm] = useState<CampaignBody>(() => (campaign ? structuredClone(bodyOf(campaign)) : emptyCampaign()));
  const usable = useMemo(() => (channels.data?.items ?? []).filter((c) => (CAMPAIGN_CHANNEL_TYPES as readonly string[]).includes(c.type)), [channels.data]);
  const channelType = usable.find((c) => c.id === form.channelId)?.type ?? null;
  const quiet = form.quietHours;
  const quietValid = !quiet || (HHMM.test(quiet.start) && HHMM.test(quiet.end) && quiet.start !== quiet.end);
  const template = form.message.template ?? null;
  const messageValid = channelType === 'whatsapp' ? Boolean(template?.name && template.language) : form.message.text.trim().length > 0;

  const setMessage = (patch: Partial<CampaignBody['message']>) => setForm((f) => ({ ...f, message: { ...f.message, ...patch } }));
  const setSegment = (patch: Partial<CampaignBody['segment']>) => setForm((f) => ({ ...f, segment: { ...f.segment, ...patch } }));
  const submit = () => {
    // Only what the channel takes: a subject for e-mail, a template for WhatsApp.
    const message: CampaignBody['message'] = {
      text: form.message.text,
      subject: channelType === 'email' ? form.message.subject || null : null,
      template: channelType === 'whatsapp' ? template : null,
    };
    const conditions = typedConditions(form.segment.attributeConditions ?? []);
    const segment = { ...form.segment, attributeConditions: conditions.length ? conditions : undefined };
    save.mutate({ id: campaign?.id, body: { ...form, message, segment, endsAt: form.dynamic ? form.endsAt : null } }, { onSuccess: onDone });
  };

  return (
    <Stack data-testid="campaign-editor">
      <Group justify="space-between">
        <Title order={3} size="h4">{campaign ? t('automation.campaigns.titleEdit', { name: campaign.name }) : t('automation.campaigns.titleNew')}</Title>
        <Button variant="subtle" onClick={onDone} data-testid="campaign-editor-back">{t('automation.campaigns.back')}</Button>
      </Group>
      <Group grow align="flex-start">
        <TextInput label={t('automation.campaigns.name')} required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-testid="campaign-name" />
        <Select
          label={t('automation.campaigns.channel')}
          required
          placeholder={t('automation.editor.choose')}
          nothingFoundMessage={t('automation.campaigns.noChannels')}
          value={form.channelId || null}
          onChange={(v) => setForm({ ...form, channelId: v ?? '' })}
          data={usable.map((c) => ({ value: c.id, label: `${c.name} (${c.type})` }))}
          data-testid="campaign-channel"
        />
      </Group>
      {channelType === 'email' && (
        <TextInput label={t('automation.campaigns.subject')} maxLength={300} value={form.message.subject ?? ''} onChange={(e) => setMessage({ subject: e.currentTarget.value })} data-testid="campaign-subject" />
      )}
      {channelType === 'whatsapp' && (
        <Group grow align="flex-start">
          <TextInput
            label={t('automation.campaigns.templateName')}
            description={t('automation.campaigns.templateHelp')}
            required
            value={template?.name ?? ''}
            onChange={(e) => setMessage({ template: { name: e.currentTarget.value, language: template?.language ?? 'nl', parameters: template?.parameters ?? [] } })}
            data-testid="campaign-template-name"
          />
          <TextInput
            label={t('automation.campaigns.templateLanguage')}
            required
            value={template?.language ?? 'nl'}
            onChange={(e) => setMessage({ template: { name: template?.name ?? '', language: e.currentTarget.value, parameters: template?.parameters ?? [] } })}
            data-testid="campaign-template-language"
          />
        </Group>
      )}
      <Textarea
        label={t('automation.campaigns.text')}
        description={t('automation.campaigns.textHelp', { placeholder: '{{customer.first_name}}' })}
        autosize
        minRows={3}
        maxLength={10_000}
        value={form.message.text}
        onChange={(e) => setMessage({ text: e.currentTarget.value })}
        data-testid="campaign-text"
      />
      <Text size="sm" fw={600}>{t('automation.campaigns.segment')}</Text>
      <Group grow align="flex-start">
        <MultiSelect
          label={t('automation.campaigns.valueTiers')}
          placeholder={form.segment.valueTiers?.length ? undefined : t('automation.campaigns.valueTiersAll')}
          value={form.segment.valueTiers ?? []}
          onChange={(values) => setSegment({ valueTiers: values.length ? (values as NonNullable<CampaignBody['segment']['valueTiers']>) : undefined })}
          data={VALUE_TIERS.map((tier) => ({ value: tier, label: t(`clv.tier.${tier}`) }))}
          data-testid="campaign-tiers"
        />
        <NumberInput
          label={t('automation.campaigns.minChurnRisk')}
          description={t('automation.campaigns.minChurnRiskHelp')}
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          value={form.segment.minChurnRisk ?? ''}
          onChange={(v) => setSegment({ minChurnRisk: typeof v === 'number' ? Math.min(1, Math.max(0, v)) : undefined })}
          data-testid="campaign-churn"
        />
      </Group>
      <AttributeRows t={t} rows={form.segment.attributeConditions ?? []} onChange={(rows) => setSegment({ attributeConditions: rows })} />
      <Group grow align="flex-start">
        <TextInput
          type="datetime-local"
          label={t('automation.campaigns.scheduledAt')}
          description={t('automation.campaigns.scheduledAtHelp')}
          value={toLocalInput(form.scheduledAt)}
          onChange={(e) => {
            const value = fromLocalInput(e.currentTarget.value);
            setForm((f) => ({ ...f, scheduledAt: value }));
          }}
          data-testid="campaign-scheduled-at"
        />
        <Stack gap={4}>
          <Switch
            label={t('automation.campaigns.dynamic')}
            description={t('automation.campaigns.dynamicHelp')}
            checked={form.dynamic}
            onChange={(e) => {
              const dynamic = e.currentTarget.checked;
              setForm((f) => ({ ...f, dynamic }));
            }}
            data-testid="campaign-dynamic"
          />
          {form.dynamic && (
            <TextInput
              type="datetime-local"
              label={t('automation.campaigns.endsAt')}
              description={t('automation.campaigns.endsAtHelp')}
              value={toLocalInput(form.endsAt)}
              onChange={(e) => {
                const value = fromLocalInput(e.currentTarget.value);
                setForm((f) => ({ ...f, endsAt: value }));
              }}
              data-testid="campaign-ends-at"
            />
          )}
        </Stack>
      </Group>
      <Group grow align="flex-start">
        <TextInput
          label={`${t('automation.campaigns.quietHours')}: ${t('automation.campaigns.quietFrom')}`}
          description={t('automation.campaigns.quietHelp')}
          placeholder="21:00"
          value={quiet?.start ?? ''}
          onChange={(e) => {
            const start = e.currentTarget.value;
            setForm((f) => ({ ...f, quietHours: start || f.quietHours?.end ? { start, end: f.quietHours?.end ?? '' } : null }));
          }}
          error={!quietValid}
          data-testid="campaign-quiet-start"
        />
        <TextInput
          label={t('automation.campaigns.quietUntil')}
          placeholder="09:00"
          value={quiet?.end ?? ''}
          onChange={(e) => {
            const end = e.currentTarget.value;
            setForm((f) => ({ ...f, quietHours: end || f.quietHours?.start ? { start: f.quietHours?.start ?? '', end } : null }));
          }}
          error={!quietValid}
          data-testid="campaign-quiet-end"
        />
        <NumberInput
          label={t('automation.campaigns.ratePerMinute')}
          description={t('automation.campaigns.ratePerMinuteHelp')}
          placeholder={t('automation.campaigns.noRateLimit')}
          min={1}
          max={6000}
          allowDecimal={false}
          value={form.ratePerMinute ?? ''}
          onChange={(v) => setForm({ ...form, ratePerMinute: typeof v === 'number' ? Math.max(1, Math.round(v)) : null })}
          data-testid="campaign-rate"
        />
      </Group>
      <ErrorAlert error={save.error} testId="campaign-save-error" />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
        <Button onClick={submit} loading={save.isPending} disabled={!form.name.trim() || !form.channelId || !quietValid || !messageValid} data-testid="campaign-save">
          {t('automation.campaigns.saveDraft')}
        </Button>
      </Group>
    </Stack>
  );
}
