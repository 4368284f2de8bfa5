import { Alert, Badge, Button, Group, Modal, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, UnstyledButton } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { ChannelIcon } from '../pages/inbox/icons';
import { useLanguage } from '../pages/inbox/format';
import { useCreateChannel, useUpdateChannel } from './api';
import { createInput, fieldOfServerMessage, initialValues, isSecret, localErrors, localized, patchInput, type FieldValues } from './form';
import type { ChannelDetail, ChannelField, ChannelType } from './types';

interface ChannelFormModalProps {
  opened: boolean;
  /** The channel being edited; null adds a new one. */
  channel: ChannelDetail | null;
  types: readonly ChannelType[];
  onClose: () => void;
  onSaved?: (channel: ChannelDetail) => void;
}

export const typeKey = (t: { type: string; provider: string }) => `${t.type}:${t.provider}`;

/** Add (type picker, then the type's form) or edit a channel; the form is generated from the type's fields. */
export function ChannelFormModal({ opened, channel, types, onClose, onSaved }: ChannelFormModalProps) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<string | null>(null);
  const editing = channel !== null;
  const type = types.find((ty) => typeKey(ty) === (channel ? typeKey(channel) : picked)) ?? null;

  useEffect(() => {
    if (!opened) setPicked(null);
  }, [opened]);

  const title = editing ? t('channels.form.editTitle', { name: channel.name }) : type ? t('channels.form.newTitle', { type: type.label }) : t('channels.form.pickTitle');

  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }} data-testid="channel-modal">
      {!type ? (
        editing ? (
          <Alert color="red" variant="light">
            {t('channels.form.unknownType', { type: channel.type, provider: channel.provider })}
          </Alert>
        ) : (
          <TypePicker types={types} onPick={(ty) => setPicked(typeKey(ty))} />
        )
      ) : (
        <ChannelForm
          key={channel?.id ?? typeKey(type)}
          type={type}
          channel={channel}
          onBack={editing ? undefined : () => setPicked(null)}
          onCancel={onClose}
          onSaved={(saved) => {
            onSaved?.(saved);
            onClose();
          }}
        />
      )}
    </Modal>
  );
}

function TypePicker({ types, onPick }: { types: readonly ChannelType[]; onPick: (type: ChannelType) => void }) {
  const { t } = useTranslation();
  if (types.length === 0) return <Text c="dimmed">{t('channels.form.noTypes')}</Text>;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('channels.form.pickDescription')}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
        {types.map((ty) => (
          <UnstyledButton
            key={typeKey(ty)}
            onClick={() => onPick(ty)}
            p="sm"
            style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}
            data-testid={`channel-type-${ty.type}-${ty.provider}`}
          >
            <Group gap="sm" wrap="nowrap">
              <ChannelIcon type={ty.type} size={22} />
              <Stack gap={0} miw={0}>
                <Text fw={600} size="sm">
                  {ty.label}
                </Text>
                <Text size="xs" c="dimmed">
                  {ty.provider !== ty.type ? `${ty.provider} · ` : ''}
                  {t(`channels.inbound.${ty.inbound}`)}
                </Text>
              </Stack>
            </Group>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

interface ChannelFormProps {
  type: ChannelType;
  channel: ChannelDetail | null;
  onBack?: () => void;
  onCancel: () => void;
  onSaved: (channel: ChannelDetail) => void;
}

function ChannelForm({ type, channel, onBack, onCancel, onSaved }: ChannelFormProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [name, setName] = useState(channel?.name ?? type.label);
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  // Only channels that carry campaigns have a campaign rate (automation/campaigns).
  const carriesCampaigns = ['email', 'sms', 'whatsapp'].includes(type.type);
  const [campaignRate, setCampaignRate] = useState<number | ''>(channel?.campaignRatePerMinute ?? '');
  const [values, setValues] = useState<FieldValues>(() => initialValues(type, channel));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const mutation = channel ? update : create;
  const serverError = mutation.error;
  const serverField = isApiError(serverError) ? fieldOfServerMessage(serverError.message) : null;

  const set = (key: string, value: string | boolean) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    setErrors((prev) => {
      if (!(key in prev)) return prev;
      const next = { ...prev };
      delete next[key];
      return next;
    });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = localErrors(type, values, channel, {
      json: t('channels.form.invalidJson'),
      number: t('channels.form.invalidNumber'),
      required: t('channels.form.required'),
    });
    setErrors(found);
    if (Object.keys(found).length) return;
    if (channel) {
      const rate = carriesCampaigns ? { campaignRatePerMinute: campaignRate === '' ? null : campaignRate } : {};
      update.mutate({ id: channel.id, patch: { ...patchInput(type, name, enabled, values), ...rate } }, { onSuccess: onSaved });
    } else {
      const rate = carriesCampaigns && campaignRate !== '' ? { campaignRatePerMinute: campaignRate } : {};
      create.mutate({ ...createInput(type, name, enabled, values), ...rate }, { onSuccess: onSaved });
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="channel-form" data-type={type.type}>
      <Stack gap="sm">
        {serverError ? (
          isApiError(serverError) && serverError.status === 400 ? (
            <Alert color="red" variant="light" role="alert" title={t('channels.form.refused')} data-testid="channel-form-error">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {serverField ? t('channels.form.refusedField', { field: fieldLabel(type.fields, serverField.key, language), message: serverField.message }) : serverError.message}
              </Text>
            </Alert>
          ) : (
            <ErrorAlert error={serverError} testId="channel-form-error" />
          )
        ) : null}
        <Group gap="xs">
          <ChannelIcon type={type.type} size={18} />
          <Text fw={600}>{type.label}</Text>
          {type.provider !== type.type && (
            <Badge size="sm" variant="light" color="gray">
              {type.provider}
            </Badge>
          )}
        </Group>
        <TextInput
          label={t('channels.form.name')}
          required
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={100}
          data-testid="channel-name"
        />
        <Switch label={t('channels.form.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} data-testid="channel-enabled" />
        {type.fields.map((field) => (
          <FieldInput
            key={field.key}
            field={field}
            value={values[field.key] ?? ''}
            onChange={(v) => set(field.key, v)}
            isSet={channel?.secretsSet.includes(field.key) ?? false}
            error={errors[field.key] ?? (serverField?.key === field.key ? serverField.message : undefined)}
          />
        ))}
        {carriesCampaigns && (
          <NumberInput
            label={t('channels.form.campaignRate')}
            description={t('channels.form.campaignRateHelp')}
            placeholder="60"
            min={1}
            max={6000}
            allowDecimal={false}
            value={campaignRate}
            onChange={(v) => setCampaignRate(typeof v === 'number' ? Math.max(1, Math.min(6000, Math.round(v))) : '')}
            data-testid="channel-campaign-rate"
          />
        )}
        <Group justify="space-between" mt="xs">
          <div>
            {onBack && (
              <Button variant="subtle" onClick={onBack} data-testid="channel-form-back">
                {t('channels.form.back')}
              </Button>
            )}
          </div>
          <Group gap="xs">
            <Button variant="default" onClick={onCancel} data-testid="channel-form-cancel">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={name.trim() === ''} data-testid="channel-form-submit">
              {channel ? t('channels.form.save') : t('channels.form.add')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

function fieldLabel(fields: readonly ChannelField[], key: string, language: string): string {
  const field = fields.find((f) => f.key === key);
  return (field && localized(field.label, language)) ?? key;
}

interface FieldInputProps {
  field: ChannelField;
  value: string | boolean;
  onChange: (value: string | boolean) => void;
  isSet: boolean;
  error?: string;
}

function FieldInput({ field, value, onChange, isSet, error }: FieldInputProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const label = localized(field.label, language) ?? field.key;
  const help = localized(field.help, language);
  const testId = `channel-field-${field.key}`;

  if (field.kind === 'boolean') {
    return (
      <Switch label={label} description={help} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} error={error} data-testid={testId} />
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (isSecret(field)) {
    return (
      <PasswordInput
        label={
          <Group gap={6} component="span" style={{ display: 'inline-flex' }}>
            <span>{label}</span>
            {isSet && (
              <Badge size="xs" color="green" variant="light" component="span" data-testid={`${testId}-set`}>
                {t('channels.secretSet')}
              </Badge>
            )}
          </Group>
        }
        description={[help, isSet ? t('channels.form.keepSecret') : null].filter(Boolean).join(' ') || undefined}
        required={field.required && !isSet}
        placeholder={isSet ? t('channels.form.secretPlaceholder') : field.placeholder}
        autoComplete="new-password"
        value={text}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
        data-testid={testId}
        data-set={isSet || undefined}
      />
    );
  }
  if (field.kind === 'select') {
    return (
      <Select
        label={label}
        description={help}
        required={field.required}
        placeholder={field.placeholder}
        clearable={!field.required}
        data={(field.options ?? []).map((o) => ({ value: o.value, label: localized(o.label, language) ?? o.value }))}
        value={text || null}
        onChange={(v) => onChange(v ?? '')}
        comboboxProps={{ withinPortal: true }}
        error={error}
        data-testid={testId}
      />
    );
  }
  if (field.kind === 'json') {
    return (
      <Textarea
        label={label}
        description={help}
        required={field.required}
        placeholder={field.placeholder}
        autosize
        minRows={3}
        maxRows={12}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        value={text}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
        data-testid={testId}
      />
    );
  }
  return (
    <TextInput
      label={label}
      description={help}
      required={field.required}
      placeholder={field.placeholder}
      type={field.kind === 'email' ? 'email' : field.kind === 'url' ? 'url' : field.kind === 'number' ? 'number' : 'text'}
      inputMode={field.kind === 'number' ? 'decimal' : undefined}
      autoComplete="off"
      value={text}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data-testid={testId}
    />
  );
}
