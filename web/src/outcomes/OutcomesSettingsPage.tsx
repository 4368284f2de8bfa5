import { ActionIcon, Badge, Button, Group, Modal, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { channelLabel } from '../flows/channelLabel';
import { outcomeKindLabel } from './labels';
import { useDeleteDisposition, useDispositions, useOutcomeSettings, useSaveDisposition, useSaveOutcomeSettings } from './api';
import { OUTCOME_KINDS, SURVEY_CHANNEL_TYPES, SURVEY_KINDS, WRAP_UP_MODES, type Disposition, type DispositionInput, type OutcomeSettings, type SurveySettings, type WrapUpMode } from './types';

const NO_KIND = '__none__';

/** Admin page: disposition codes, the wrap-up mode, and the surveys per channel type. */
export function OutcomesSettingsPage() {
  const { t } = useTranslation();
  return (
    <Stack data-testid="outcomes-page">
      <PageHeader title={t('outcomes.title')} description={t('outcomes.description')} />
      <DispositionsCard t={t} />
      <SettingsCards t={t} />
    </Stack>
  );
}

// ------------------------------------------------------------------ disposition codes

function DispositionsCard({ t }: { t: TFunction }) {
  const { i18n } = useTranslation();
  const dispositions = useDispositions();
  const save = useSaveDisposition();
  const remove = useDeleteDisposition();
  const [editing, setEditing] = useState<Disposition | 'new' | null>(null);
  const items = dispositions.data?.items ?? [];

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Stack gap={2}>
          <Title order={2} size="h4">{t('outcomes.dispositions.title')}</Title>
          <Text size="sm" c="dimmed">{t('outcomes.dispositions.description')}</Text>
        </Stack>
        <Button onClick={() => setEditing('new')} data-testid="disposition-add">{t('outcomes.dispositions.add')}</Button>
      </Group>
      {dispositions.isPending ? <CenteredLoader /> : <ErrorAlert error={dispositions.error} />}
      <ErrorAlert error={save.error ?? remove.error} />
      {items.length === 0 && !dispositions.isPending ? (
        <Text c="dimmed" size="sm">{t('outcomes.dispositions.empty')}</Text>
      ) : (
        <Table striped data-testid="dispositions-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('outcomes.dispositions.label')}</Table.Th>
              <Table.Th>{t('outcomes.dispositions.code')}</Table.Th>
              <Table.Th>{t('outcomes.dispositions.outcome')}</Table.Th>
              <Table.Th>{t('outcomes.dispositions.active')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((d) => (
              <Table.Tr key={d.id} data-testid="disposition-row" data-code={d.code}>
                <Table.Td>{i18n.language === 'en' ? d.labelEn : d.labelNl}</Table.Td>
                <Table.Td><Text size="sm" ff="monospace">{d.code}</Text></Table.Td>
                <Table.Td><Badge variant="light" color={d.outcome && d.outcome !== 'none' ? 'teal' : 'gray'} tt="none">{outcomeKindLabel(t, d.outcome)}</Badge></Table.Td>
                <Table.Td>
                  <Switch
                    checked={d.active}
                    onChange={(e) => save.mutate({ id: d.id, input: { active: e.currentTarget.checked } })}
                    aria-label={t('outcomes.dispositions.active')}
                    data-testid="disposition-active"
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(d)} data-testid="disposition-edit">{t('outcomes.dispositions.edit')}</Button>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('outcomes.dispositions.delete')}
                      onClick={() => window.confirm(t('outcomes.dispositions.confirmDelete', { code: d.code })) && remove.mutate(d.id)}
                      data-testid="disposition-delete"
                    >
                      ×
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <DispositionModal
          t={t}
          disposition={editing === 'new' ? null : editing}
          nextPosition={items.reduce((max, d) => Math.max(max, d.position), 0) + 10}
          onClose={() => setEditing(null)}
        />
      )}
    </Paper>
  );
}

function DispositionModal({ t, disposition, nextPosition, onClose }: { t: TFunction; disposition: Disposition | null; nextPosition: number; onClose: () => void }) {
  const save = useSaveDisposition();
  const [form, setForm] = useState<DispositionInput>(
    disposition ? { code: disposition.code, labelNl: disposition.labelNl, labelEn: disposition.labelEn, outcome: disposition.outcome, active: disposition.active, position: disposition.position } : { code: '', labelNl: '', labelEn: '', outcome: null, active: true, position: nextPosition },
  );
  const set = <K extends keyof DispositionInput>(key: K, value: DispositionInput[K]) => setForm((f) => ({ ...f, [key]: value }));
  const submit = () => save.mutate({ id: disposition?.id, input: form }, { onSuccess: onClose });

  return (
    <Modal opened onClose={onClose} title={disposition ? t('outcomes.dispositions.edit') : t('outcomes.dispositions.add')} data-testid="disposition-modal">
      <Stack>
        <TextInput label={t('outcomes.dispositions.code')} description={t('outcomes.dispositions.codeHelp')} value={form.code} onChange={(e) => set('code', e.currentTarget.value)} required data-testid="disposition-code" />
        <TextInput label={t('outcomes.dispositions.labelNl')} value={form.labelNl} onChange={(e) => set('labelNl', e.currentTarget.value)} required data-testid="disposition-label-nl" />
        <TextInput label={t('outcomes.dispositions.labelEn')} value={form.labelEn} onChange={(e) => set('labelEn', e.currentTarget.value)} required data-testid="disposition-label-en" />
        <Select
          label={t('outcomes.dispositions.outcome')}
          description={t('outcomes.dispositions.outcomeHelp')}
          allowDeselect={false}
          value={form.outcome ?? NO_KIND}
          onChange={(value) => set('outcome', !value || value === NO_KIND ? null : (value as DispositionInput['outcome']))}
          data={[{ value: NO_KIND, label: t('outcomes.noKind') }, ...OUTCOME_KINDS.map((k) => ({ value: k, label: outcomeKindLabel(t, k) }))]}
          data-testid="disposition-outcome"
        />
        <NumberInput label={t('outcomes.dispositions.position')} min={0} max={10_000} value={form.position} onChange={(v) => set('position', typeof v === 'number' ? v : 0)} />
        <Switch label={t('outcomes.dispositions.active')} checked={form.active} onChange={(e) => set('active', e.currentTarget.checked)} />
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={save.isPending} disabled={!form.code.trim() || !form.labelNl.trim() || !form.labelEn.trim()} data-testid="disposition-save">
            {t('outcomes.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

// ------------------------------------------------------------------ wrap-up mode and surveys

const defaultSurvey = (): SurveySettings => ({ enabled: false, kind: 'csat', question: { nl: '', en: '' }, windowHours: 24 });

function SettingsCards({ t }: { t: TFunction }) {
  const settings = useOutcomeSettings();
  const save = useSaveOutcomeSettings();
  const [form, setForm] = useState<OutcomeSettings | null>(null);
  useEffect(() => {
    if (settings.data) setForm(settings.data);
  }, [settings.data]);
  if (!form) return settings.error ? <ErrorAlert error={settings.error} /> : <CenteredLoader />;

  const survey = (type: string) => form.surveys[type] ?? defaultSurvey();
  const setSurvey = (type: string, patch: Partial<SurveySettings>) => setForm({ ...form, surveys: { ...form.surveys, [type]: { ...survey(type), ...patch } } });
  const dirty = JSON.stringify(form) !== JSON.stringify(settings.data);

  return (
    <>
      <Paper withBorder p="md" data-testid="wrap-up-settings">
        <Title order={2} size="h4" mb={4}>{t('outcomes.settings.wrapUpTitle')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t(`outcomes.modesHelp.${form.wrapUp.mode}`)}</Text>
        <Group align="flex-end">
          <SegmentedControl
            value={form.wrapUp.mode}
            onChange={(mode) => setForm({ ...form, wrapUp: { ...form.wrapUp, mode: mode as WrapUpMode } })}
            data={WRAP_UP_MODES.map((m) => ({ value: m, label: t(`outcomes.modes.${m}`) }))}
            data-testid="wrap-up-mode"
          />
          {form.wrapUp.mode === 'required' && (
            <NumberInput
              label={t('outcomes.settings.maxSeconds')}
              min={10}
              max={86_400}
              w={200}
              value={form.wrapUp.maxSeconds}
              onChange={(v) => setForm({ ...form, wrapUp: { ...form.wrapUp, maxSeconds: typeof v === 'number' ? v : 120 } })}
              data-testid="wrap-up-max-seconds"
            />
          )}
        </Group>
      </Paper>

      <Paper withBorder p="md" data-testid="survey-settings">
        <Title order={2} size="h4" mb={4}>{t('outcomes.settings.surveysTitle')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('outcomes.settings.surveysHelp')}</Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('outcomes.settings.channel')}</Table.Th>
              <Table.Th>{t('outcomes.settings.enabled')}</Table.Th>
              <Table.Th>{t('outcomes.settings.kind')}</Table.Th>
              <Table.Th>{t('outcomes.settings.questionNl')}</Table.Th>
              <Table.Th>{t('outcomes.settings.questionEn')}</Table.Th>
              <Table.Th>{t('outcomes.settings.windowHours')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {SURVEY_CHANNEL_TYPES.map((type) => {
              const s = survey(type);
              return (
                <Table.Tr key={type} data-testid="survey-row" data-channel-type={type}>
                  <Table.Td>{channelLabel(t, type)}</Table.Td>
                  <Table.Td>
                    <Switch checked={s.enabled} onChange={(e) => setSurvey(type, { enabled: e.currentTarget.checked })} aria-label={t('outcomes.settings.enabled')} data-testid="survey-enabled" />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={110}
                      allowDeselect={false}
                      value={s.kind}
                      onChange={(kind) => kind && setSurvey(type, { kind: kind as SurveySettings['kind'] })}
                      data={SURVEY_KINDS.map((k) => ({ value: k, label: t(`outcomes.surveyKinds.${k}`) }))}
                      aria-label={t('outcomes.settings.kind')}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" placeholder={t('outcomes.settings.questionPlaceholder')} value={s.question.nl} onChange={(e) => setSurvey(type, { question: { ...s.question, nl: e.currentTarget.value } })} aria-label={t('outcomes.settings.questionNl')} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput size="xs" placeholder={t('outcomes.settings.questionPlaceholder')} value={s.question.en} onChange={(e) => setSurvey(type, { question: { ...s.question, en: e.currentTarget.value } })} aria-label={t('outcomes.settings.questionEn')} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput size="xs" w={90} min={1} max={336} value={s.windowHours} onChange={(v) => setSurvey(type, { windowHours: typeof v === 'number' ? v : 24 })} aria-label={t('outcomes.settings.windowHours')} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="xs">{t('outcomes.settings.voiceNote')}</Text>
      </Paper>

      <ErrorAlert error={save.error} />
      <Group justify="flex-end">
        {save.isSuccess && !dirty && <Text size="sm" c="green" data-testid="outcome-settings-saved">{t('outcomes.settings.saved')}</Text>}
        <Button onClick={() => save.mutate(form)} loading={save.isPending} disabled={!dirty} data-testid="outcome-settings-save">
          {t('outcomes.save')}
        </Button>
      </Group>
    </>
  );
}
