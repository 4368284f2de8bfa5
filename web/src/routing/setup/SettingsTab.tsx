import { ActionIcon, Button, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CenteredLoader } from '../../components/CenteredLoader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRoutingSettings, useSaveSettings, useWorkflows } from '../api';
import { numberOrUndefined } from '../format';
import { IssuesAlert } from '../IssuesAlert';
import { move, removeAt, replaceAt } from '../listEdit';
import { FIELD_TYPES, type FieldType, type RoutingSettings } from '../types';

export function SettingsTab({ canEdit }: { canEdit: boolean }) {
  const settings = useRoutingSettings();
  if (settings.isPending) return <CenteredLoader />;
  if (settings.isError) return <ErrorAlert error={settings.error} />;
  return <SettingsForm initial={settings.data} canEdit={canEdit} />;
}

interface FieldRow {
  name: string;
  type: FieldType;
}

const toFieldRows = (fields: Record<string, FieldType>): FieldRow[] => Object.entries(fields).map(([name, type]) => ({ name, type }));
const fromFieldRows = (rows: FieldRow[]): Record<string, FieldType> =>
  Object.fromEntries(rows.filter((r) => r.name.trim()).map((r) => [r.name.trim(), r.type]));

function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

function SettingsForm({ initial, canEdit }: { initial: RoutingSettings; canEdit: boolean }) {
  const { t } = useTranslation();
  const save = useSaveSettings();
  const workflows = useWorkflows();
  const [form, setForm] = useState<RoutingSettings>(initial);
  const [taskFields, setTaskFields] = useState<FieldRow[]>(() => toFieldRows(initial.taskFields));
  const [agentFields, setAgentFields] = useState<FieldRow[]>(() => toFieldRows(initial.agentFields));
  const set = <K extends keyof RoutingSettings>(key: K, value: RoutingSettings[K]) => setForm((prev) => ({ ...prev, [key]: value }));
  const presenceNames = form.presences.map((p) => p.name).filter(Boolean);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({
      ...form,
      presences: form.presences.map((p) => ({ ...p, name: p.name.trim() })).filter((p) => p.name),
      taskFields: fromFieldRows(taskFields),
      agentFields: fromFieldRows(agentFields),
    });
  };

  const fieldEditor = (rows: FieldRow[], setRows: (rows: FieldRow[]) => void, testId: string) => (
    <Stack gap="xs" data-testid={testId}>
      {rows.map((row, i) => (
        <Group key={i} gap="xs" wrap="nowrap" data-testid="field-row">
          <TextInput size="xs" style={{ flex: 1 }} aria-label={t('routing.settings.fieldName')} placeholder={t('routing.settings.fieldName')} value={row.name} onChange={(e) => setRows(replaceAt(rows, i, { ...row, name: e.currentTarget.value }))} />
          <Select size="xs" w={130} allowDeselect={false} aria-label={t('routing.settings.fieldType')} data={[...FIELD_TYPES]} value={row.type} onChange={(v) => isFieldType(v) && setRows(replaceAt(rows, i, { ...row, type: v }))} />
          {canEdit && (
            <ActionIcon variant="subtle" color="red" aria-label={t('routing.common.remove')} onClick={() => setRows(removeAt(rows, i))}>
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('common.none')}
        </Text>
      )}
      {canEdit && (
        <Group>
          <Button size="compact-xs" variant="light" onClick={() => setRows([...rows, { name: '', type: 'string' }])} data-testid={`${testId}-add`}>
            {t('routing.settings.addField')}
          </Button>
        </Group>
      )}
    </Stack>
  );

  return (
    <form onSubmit={onSubmit} data-testid="routing-settings">
      <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack>
          <IssuesAlert error={save.error} />
          {save.isSuccess && (
            <Text size="sm" c="green.8" data-testid="settings-saved">
              {t('routing.settings.saved')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Fieldset legend={t('routing.settings.presences')}>
              <Stack gap="xs" data-testid="settings-presences">
                {form.presences.map((presence, i) => (
                  <Group key={i} gap="xs" wrap="nowrap" data-testid="presence-row">
                    <TextInput
                      size="xs"
                      style={{ flex: 1 }}
                      aria-label={t('routing.settings.presenceName')}
                      value={presence.name}
                      onChange={(e) => set('presences', replaceAt(form.presences, i, { ...presence, name: e.currentTarget.value }))}
                    />
                    <Switch
                      size="sm"
                      label={t('routing.settings.routable')}
                      checked={presence.routable}
                      onChange={(e) => set('presences', replaceAt(form.presences, i, { ...presence, routable: e.currentTarget.checked }))}
                    />
                    {canEdit && (
                      <Group gap={2} wrap="nowrap">
                        <ActionIcon variant="subtle" disabled={i === 0} aria-label={t('routing.common.moveUp')} onClick={() => set('presences', move(form.presences, i, -1))}>
                          ↑
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="red" aria-label={t('routing.common.remove')} onClick={() => set('presences', removeAt(form.presences, i))}>
                          ×
                        </ActionIcon>
                      </Group>
                    )}
                  </Group>
                ))}
                {canEdit && (
                  <Group>
                    <Button size="compact-xs" variant="light" onClick={() => set('presences', [...form.presences, { name: '', routable: false }])} data-testid="presence-add">
                      {t('routing.settings.addPresence')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>

            <Fieldset legend={t('routing.settings.behaviour')}>
              <Stack gap="xs">
                <Select
                  label={t('routing.settings.presenceAfterMissedOffer')}
                  clearable
                  placeholder={t('routing.settings.keepPresence')}
                  data={presenceNames}
                  value={form.presenceAfterMissedOffer ?? null}
                  onChange={(v) => set('presenceAfterMissedOffer', v ?? undefined)}
                  data-testid="settings-after-missed"
                />
                <Select
                  label={t('routing.settings.presenceAfterReject')}
                  clearable
                  placeholder={t('routing.settings.keepPresence')}
                  data={presenceNames}
                  value={form.presenceAfterReject ?? null}
                  onChange={(v) => set('presenceAfterReject', v ?? undefined)}
                  data-testid="settings-after-reject"
                />
                <NumberInput
                  label={t('routing.settings.defaultOfferTimeoutSeconds')}
                  min={1}
                  allowDecimal={false}
                  value={form.defaultOfferTimeoutSeconds}
                  onChange={(v) => set('defaultOfferTimeoutSeconds', numberOrUndefined(v) ?? 30)}
                  data-testid="settings-offer-timeout"
                />
                <NumberInput
                  label={t('routing.settings.transferTimeoutSeconds')}
                  min={1}
                  allowDecimal={false}
                  value={form.transferTimeoutSeconds}
                  onChange={(v) => set('transferTimeoutSeconds', numberOrUndefined(v) ?? 60)}
                  data-testid="settings-transfer-timeout"
                />
                <Select
                  label={t('routing.settings.defaultWorkflow')}
                  clearable
                  data={(workflows.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))}
                  value={form.defaultWorkflowId ?? null}
                  onChange={(v) => set('defaultWorkflowId', v ?? undefined)}
                  data-testid="settings-default-workflow"
                />
              </Stack>
            </Fieldset>

            <Fieldset legend={t('routing.settings.skills')}>
              <TagsInput
                description={t('routing.settings.skillsHint')}
                aria-label={t('routing.settings.skills')}
                value={form.skills}
                onChange={(skills) => set('skills', skills)}
                data-testid="settings-skills"
              />
            </Fieldset>

            <Fieldset legend={t('routing.settings.slaBoosts')}>
              <Stack gap="xs" data-testid="settings-sla-boosts">
                <Text size="xs" c="dimmed">
                  {t('routing.settings.slaBoostsHint')}
                </Text>
                {form.slaBoosts.map((boost, i) => (
                  <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
                    <NumberInput
                      size="xs"
                      label={t('routing.settings.atFraction')}
                      min={0}
                      max={10}
                      step={0.05}
                      decimalScale={2}
                      value={boost.atFraction}
                      onChange={(v) => set('slaBoosts', replaceAt(form.slaBoosts, i, { ...boost, atFraction: numberOrUndefined(v) ?? 0 }))}
                    />
                    <NumberInput
                      size="xs"
                      label={t('routing.settings.add')}
                      allowDecimal={false}
                      value={boost.add}
                      onChange={(v) => set('slaBoosts', replaceAt(form.slaBoosts, i, { ...boost, add: numberOrUndefined(v) ?? 0 }))}
                    />
                    {canEdit && (
                      <ActionIcon mb={2} variant="subtle" color="red" aria-label={t('routing.common.remove')} onClick={() => set('slaBoosts', removeAt(form.slaBoosts, i))}>
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                ))}
                {canEdit && (
                  <Group>
                    <Button size="compact-xs" variant="light" onClick={() => set('slaBoosts', [...form.slaBoosts, { atFraction: 1, add: 1 }])} data-testid="sla-boost-add">
                      {t('routing.settings.addBoost')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>

            <Fieldset legend={t('routing.settings.taskFields')}>{fieldEditor(taskFields, setTaskFields, 'settings-task-fields')}</Fieldset>
            <Fieldset legend={t('routing.settings.agentFields')}>{fieldEditor(agentFields, setAgentFields, 'settings-agent-fields')}</Fieldset>
          </SimpleGrid>
        </Stack>
      </fieldset>
      {canEdit && (
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => {
            setForm(initial);
            setTaskFields(toFieldRows(initial.taskFields));
            setAgentFields(toFieldRows(initial.agentFields));
            save.reset();
          }}>
            {t('routing.settings.reset')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="settings-save">
            {t('routing.common.save')}
          </Button>
        </Group>
      )}
    </form>
  );
}
