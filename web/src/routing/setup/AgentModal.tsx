import { ActionIcon, Button, Checkbox, Fieldset, Group, Modal, NumberInput, SegmentedControl, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaveAgent } from '../api';
import { numberOrUndefined } from '../format';
import { IssuesAlert } from '../IssuesAlert';
import { removeAt, replaceAt } from '../listEdit';
import type { RoutingAgent, RoutingAgentInput } from '../types';

interface ChannelRow {
  channel: string;
  cost: number | undefined;
  max: number | undefined;
  exclusive: boolean;
}

function toRows(agent: RoutingAgent): ChannelRow[] {
  const { cost, maxPerChannel = {}, exclusive = [] } = agent.capacity;
  const channels = [...new Set([...Object.keys(cost), ...Object.keys(maxPerChannel), ...exclusive])];
  return channels.map((channel) => ({ channel, cost: cost[channel], max: maxPerChannel[channel], exclusive: exclusive.includes(channel) }));
}

const LEVELS = ['0', '1', '2', '3', '4', '5'];

export function AgentModal({ agent, skills, canEdit, onClose }: { agent: RoutingAgent; skills: string[]; canEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveAgent();
  const [skillLevels, setSkillLevels] = useState<Record<string, number>>(agent.skills);
  const [languages, setLanguages] = useState<string[]>(agent.languages);
  const [total, setTotal] = useState<number | undefined>(agent.capacity.total);
  const [rows, setRows] = useState<ChannelRow[]>(() => toRows(agent));
  const [attributes, setAttributes] = useState(() => JSON.stringify(agent.attributes ?? {}, null, 2));
  const [attributesError, setAttributesError] = useState<string | null>(null);
  const allSkills = [...new Set([...skills, ...Object.keys(skillLevels)])];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let parsed: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(attributes || '{}');
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      parsed = value as Record<string, unknown>;
      setAttributesError(null);
    } catch {
      setAttributesError(t('routing.agent.attributesInvalid'));
      return;
    }
    const cost: Record<string, number> = {};
    const maxPerChannel: Record<string, number> = {};
    const exclusive: string[] = [];
    for (const row of rows) {
      const channel = row.channel.trim();
      if (!channel) continue;
      if (row.cost !== undefined) cost[channel] = row.cost;
      if (row.max !== undefined) maxPerChannel[channel] = row.max;
      if (row.exclusive) exclusive.push(channel);
    }
    const input: RoutingAgentInput = {
      skills: skillLevels,
      languages,
      attributes: parsed,
      capacity: {
        total: total ?? 100,
        cost,
        ...(Object.keys(maxPerChannel).length ? { maxPerChannel } : {}),
        ...(exclusive.length ? { exclusive } : {}),
      },
    };
    save.mutate({ userId: agent.userId, input }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} size="xl" title={t('routing.agent.editTitle', { name: agent.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} data-testid="agent-editor">
        <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack>
            <IssuesAlert error={save.error} />
            <Fieldset legend={t('routing.agent.skills')}>
              <Stack gap="xs">
                {allSkills.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('routing.agent.noSkills')}
                  </Text>
                )}
                {allSkills.map((skill) => (
                  <Group key={skill} justify="space-between" wrap="nowrap" data-testid="agent-skill-edit" data-skill={skill}>
                    <Text size="sm">{skill}</Text>
                    <SegmentedControl
                      size="xs"
                      readOnly={!canEdit}
                      data={LEVELS.map((l) => ({ value: l, label: l === '0' ? '–' : l }))}
                      value={String(skillLevels[skill] ?? 0)}
                      onChange={(value) =>
                        setSkillLevels((prev) => {
                          const next = { ...prev };
                          if (value === '0') delete next[skill];
                          else next[skill] = Number(value);
                          return next;
                        })
                      }
                      aria-label={t('routing.agent.skillLevel', { skill })}
                    />
                  </Group>
                ))}
              </Stack>
            </Fieldset>
            <TagsInput
              label={t('routing.agent.languages')}
              description={t('routing.agent.languagesHint')}
              value={languages}
              onChange={setLanguages}
              readOnly={!canEdit}
              data-testid="agent-languages"
            />
            <Fieldset legend={t('routing.agent.capacity')}>
              <Stack gap="xs">
                <NumberInput
                  label={t('routing.agent.capacityTotal')}
                  min={1}
                  allowDecimal={false}
                  value={total ?? ''}
                  onChange={(v) => setTotal(numberOrUndefined(v))}
                  w={200}
                  data-testid="agent-capacity-total"
                />
                <Text size="xs" c="dimmed">
                  {t('routing.agent.capacityHint')}
                </Text>
                {rows.map((row, i) => (
                  <Group key={i} gap="xs" wrap="nowrap" align="flex-end" data-testid="agent-channel-row">
                    <TextInput
                      size="xs"
                      label={i === 0 ? t('routing.agent.channel') : undefined}
                      aria-label={t('routing.agent.channel')}
                      value={row.channel}
                      onChange={(e) => setRows(replaceAt(rows, i, { ...row, channel: e.currentTarget.value }))}
                      style={{ flex: 1 }}
                    />
                    <NumberInput
                      size="xs"
                      label={i === 0 ? t('routing.agent.cost') : undefined}
                      aria-label={t('routing.agent.cost')}
                      min={0}
                      w={100}
                      value={row.cost ?? ''}
                      onChange={(v) => setRows(replaceAt(rows, i, { ...row, cost: numberOrUndefined(v) }))}
                    />
                    <NumberInput
                      size="xs"
                      label={i === 0 ? t('routing.agent.maxPerChannel') : undefined}
                      aria-label={t('routing.agent.maxPerChannel')}
                      min={0}
                      allowDecimal={false}
                      w={100}
                      value={row.max ?? ''}
                      onChange={(v) => setRows(replaceAt(rows, i, { ...row, max: numberOrUndefined(v) }))}
                    />
                    <Checkbox
                      mb={6}
                      label={t('routing.agent.exclusive')}
                      checked={row.exclusive}
                      onChange={(e) => setRows(replaceAt(rows, i, { ...row, exclusive: e.currentTarget.checked }))}
                    />
                    <ActionIcon mb={2} variant="subtle" color="red" aria-label={t('routing.common.remove')} onClick={() => setRows(removeAt(rows, i))}>
                      ×
                    </ActionIcon>
                  </Group>
                ))}
                {canEdit && (
                  <Group>
                    <Button size="compact-xs" variant="light" onClick={() => setRows([...rows, { channel: '', cost: undefined, max: undefined, exclusive: false }])} data-testid="agent-add-channel">
                      {t('routing.agent.addChannel')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>
            <Textarea
              label={t('routing.agent.attributes')}
              description={t('routing.agent.attributesHint')}
              autosize
              minRows={2}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={attributes}
              error={attributesError}
              onChange={(e) => setAttributes(e.currentTarget.value)}
              data-testid="agent-attributes"
            />
          </Stack>
        </fieldset>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            {canEdit ? t('common.cancel') : t('common.close')}
          </Button>
          {canEdit && (
            <Button type="submit" loading={save.isPending} data-testid="agent-save">
              {t('routing.common.save')}
            </Button>
          )}
        </Group>
      </form>
    </Modal>
  );
}
