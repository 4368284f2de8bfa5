import { Alert, Anchor, Badge, Button, Grid, Group, List, MultiSelect, Paper, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { hasRole } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useFormatDate } from '../format';
import { useCurrentSession } from '../session';
import { flowIssuesOf, useBindChannels, useChannelsForFlows, useFlow, usePublishFlow, useSaveFlow, useUnpublishFlow, useValidation } from './api';
import { FlowGraph } from './FlowGraph';
import { IssueList } from './IssueList';
import { JsonEditor } from './JsonEditor';
import { channelLabel } from './channelLabel';
import { autoLayout, glyphOf, newNode, settingsOf, toDefinition } from './model';
import { Simulator } from './Simulator';
import { NODE_TYPES, type FlowDefinition, type FlowDetail, type FlowIssue, type FlowNodeJson, type NodeType } from './types';
import { useUnsavedGuard } from './useUnsavedGuard';

/** `/settings/flows/:id`: the visual editor with live validation, publishing and the simulator. */
export function FlowEditorPage() {
  const { id = '' } = useParams();
  const flow = useFlow(id);
  if (flow.isPending) return <CenteredLoader />;
  if (flow.isError) return <ErrorAlert error={flow.error} testId="flow-load-error" />;
  return <FlowEditor key={flow.data.id} initial={flow.data} />;
}

function FlowEditor({ initial }: { initial: FlowDetail }) {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const canEdit = hasRole(user.role, 'admin');
  const formatDate = useFormatDate();

  const [detail, setDetail] = useState<FlowDetail>(initial);
  const [draft, setDraft] = useState<FlowDefinition>(() => toDefinition(initial.draft));
  const [name, setName] = useState(initial.name);
  const [baseline, setBaseline] = useState(() => ({ json: JSON.stringify(toDefinition(initial.draft)), name: initial.name }));
  const [selected, setSelected] = useState<number | null>(null);
  const [tab, setTab] = useState<string | null>('node');
  const [addType, setAddType] = useState<NodeType>('say');

  const save = useSaveFlow(detail.id);
  const publish = usePublishFlow(detail.id);
  const unpublish = useUnpublishFlow(detail.id);
  const bind = useBindChannels(detail.id);
  const channels = useChannelsForFlows();

  const dirty = JSON.stringify(draft) !== baseline.json || name.trim() !== baseline.name;
  useUnsavedGuard(dirty, t('flows.editor.leaveConfirm'));

  // Live validation: 400 ms after the last edit.
  const [debounced] = useDebouncedValue(draft, 400);
  const validation = useValidation(debounced);
  const issues: FlowIssue[] = validation.data?.issues ?? detail.issues;
  const checking = validation.isFetching || debounced !== draft;
  const errorNodes = useMemo(() => new Set(issues.filter((i) => i.severity === 'error' && i.nodeId).map((i) => i.nodeId!)), [issues]);
  const warningNodes = useMemo(() => new Set(issues.filter((i) => i.severity === 'warning' && i.nodeId).map((i) => i.nodeId!)), [issues]);
  const errorCount = issues.filter((i) => i.severity === 'error').length;

  const adopt = (result: FlowDetail) => {
    const next = toDefinition(result.draft);
    setDetail(result);
    setDraft(next);
    setName(result.name);
    setBaseline({ json: JSON.stringify(next), name: result.name });
  };

  const doSave = async (): Promise<boolean> => {
    publish.reset();
    try {
      adopt(await save.mutateAsync({ name: name.trim() || detail.name, definition: draft }));
      return true;
    } catch {
      return false;
    }
  };

  const doPublish = async () => {
    if (dirty && !(await doSave())) return;
    publish.mutate(undefined, { onSuccess: adopt });
  };

  const selectedNode: FlowNodeJson | null = selected !== null ? (draft.nodes[selected] ?? null) : null;

  const updateNode = (index: number, node: FlowNodeJson) => setDraft((d) => ({ ...d, nodes: d.nodes.map((n, i) => (i === index ? node : n)) }));

  const onNodeJson = (value: Record<string, unknown>): string | null => {
    if (selected === null) return null;
    if (typeof value.id !== 'string' || typeof value.type !== 'string') return t('flows.editor.nodeNeedsIdType');
    updateNode(selected, value as FlowNodeJson);
    return null;
  };

  const onSettingsJson = (value: Record<string, unknown>): string | null => {
    const { nodes: _ignored, ...settings } = value;
    setDraft((d) => ({ ...settings, nodes: d.nodes }) as FlowDefinition);
    return null;
  };

  const addNode = () => {
    const node = newNode(draft, addType, selectedNode ?? undefined);
    setDraft((d) => ({ ...d, nodes: [...d.nodes, node] }));
    setSelected(draft.nodes.length);
    setTab('node');
  };

  const deleteNode = () => {
    if (selected === null) return;
    setDraft((d) => ({ ...d, nodes: d.nodes.filter((_, i) => i !== selected) }));
    setSelected(null);
  };

  const pickIssue = (issue: FlowIssue) => {
    if (issue.nodeId === null) {
      setTab('settings');
      return;
    }
    const index = draft.nodes.findIndex((n) => n.id === issue.nodeId);
    if (index >= 0) {
      setSelected(index);
      setTab('node');
    }
  };

  const settings = useMemo(() => settingsOf(draft), [draft]);
  const publishIssues = flowIssuesOf(publish.error);
  const live = detail.publishedVersion;

  return (
    <Stack gap="md" data-testid="flow-editor" data-dirty={dirty ? 'true' : 'false'}>
      <PageHeader
        title={t('flows.editor.title', { name: detail.name })}
        description={
          <Group gap={6} component="span">
            <Anchor component={Link} to="/settings/flows" size="sm" data-testid="flow-back">
              {t('flows.editor.back')}
            </Anchor>
            <Badge color={live ? 'green' : 'gray'} variant="light" data-testid="flow-live-badge" data-version={live ?? ''}>
              {live ? t('flows.list.liveVersion', { version: live }) : t('flows.list.concept')}
            </Badge>
            <Badge color={errorCount ? 'red' : 'green'} variant="light" data-testid="flow-valid-badge">
              {errorCount ? t('flows.list.invalid') : t('flows.list.valid')}
            </Badge>
            {dirty && (
              <Badge color="yellow" variant="light" data-testid="flow-unsaved-badge">
                {t('flows.editor.unsaved')}
              </Badge>
            )}
          </Group>
        }
        actions={
          canEdit ? (
            <Group gap="xs">
              <Button variant="default" onClick={() => void doSave()} loading={save.isPending} disabled={!dirty} data-testid="flow-save">
                {t('flows.editor.save')}
              </Button>
              <Button color="green" onClick={() => void doPublish()} loading={publish.isPending} data-testid="flow-publish">
                {dirty ? t('flows.editor.saveAndPublish') : t('flows.editor.publish')}
              </Button>
              {live !== null && (
                <Button variant="light" color="orange" onClick={() => unpublish.mutate(undefined, { onSuccess: adopt })} loading={unpublish.isPending} data-testid="flow-unpublish">
                  {t('flows.editor.unpublish')}
                </Button>
              )}
            </Group>
          ) : undefined
        }
      />

      {save.error ? <ErrorAlert error={save.error} testId="flow-save-error" /> : null}
      {unpublish.error ? <ErrorAlert error={unpublish.error} testId="flow-unpublish-error" /> : null}
      {publish.error ? (
        publishIssues.length > 0 ? (
          <Alert color="red" variant="light" role="alert" title={t('flows.editor.publishRefused')} withCloseButton onClose={() => publish.reset()} data-testid="flow-publish-refused">
            <List size="sm" spacing={2}>
              {publishIssues.map((issue, i) => (
                <List.Item key={i} data-testid="flow-publish-issue">
                  <Text span ff="monospace" size="sm" fw={600}>
                    {issue.nodeId ?? t('flows.issues.flowLevel')}
                  </Text>{' '}
                  <Text span ff="monospace" size="sm" c="dimmed">
                    {issue.field}
                  </Text>{' '}
                  {issue.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : (
          <ErrorAlert error={publish.error} testId="flow-publish-error" />
        )
      ) : null}
      {publish.isSuccess && !dirty && (
        <Alert color="green" variant="light" withCloseButton onClose={() => publish.reset()} data-testid="flow-published">
          {t('flows.editor.published', { version: publish.data.publishedVersion })}
        </Alert>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="sm">
            {canEdit && (
              <Group gap="xs" wrap="wrap">
                <TextInput
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  aria-label={t('flows.list.name')}
                  placeholder={t('flows.list.name')}
                  w={240}
                  data-testid="flow-name"
                />
                <Select
                  value={addType}
                  onChange={(v) => v && setAddType(v as NodeType)}
                  data={NODE_TYPES.map((type) => ({ value: type, label: `${glyphOf(type)}  ${type}` }))}
                  allowDeselect={false}
                  w={180}
                  aria-label={t('flows.editor.addNode')}
                  data-testid="flow-add-type"
                />
                <Button variant="light" onClick={addNode} data-testid="flow-add-node">
                  {t('flows.editor.addNode')}
                </Button>
                <Button variant="light" color="red" onClick={deleteNode} disabled={selected === null} data-testid="flow-delete-node">
                  {t('flows.editor.deleteNode')}
                </Button>
                <Button variant="subtle" onClick={() => setDraft((d) => autoLayout(d))} data-testid="flow-arrange">
                  {t('flows.editor.arrange')}
                </Button>
              </Group>
            )}
            <FlowGraph
              definition={draft}
              selectedIndex={selected}
              errorNodes={errorNodes}
              warningNodes={warningNodes}
              editable={canEdit}
              onSelect={(index) => {
                setSelected(index);
                if (index !== null) setTab('node');
              }}
              onMove={(index, position) => {
                const node = draft.nodes[index];
                if (node && (node.position?.x !== position.x || node.position?.y !== position.y)) updateNode(index, { ...node, position });
              }}
            />
            <IssueList issues={issues} checking={checking} onPick={pickIssue} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Paper withBorder radius="md" p="sm" data-testid="flow-inspector">
            <Tabs value={tab} onChange={setTab}>
              <Tabs.List mb="sm">
                <Tabs.Tab value="node" data-testid="flow-tab-node">
                  {t('flows.editor.nodeTab')}
                </Tabs.Tab>
                <Tabs.Tab value="settings" data-testid="flow-tab-settings">
                  {t('flows.editor.settingsTab')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="node">
                {selectedNode ? (
                  <JsonEditor
                    key={selected}
                    label={t('flows.editor.nodeJson', { id: selectedNode.id })}
                    value={selectedNode}
                    onChange={onNodeJson}
                    readOnly={!canEdit}
                    testId="flow-node-json"
                  />
                ) : (
                  <Text size="sm" c="dimmed" data-testid="flow-no-selection">
                    {t('flows.editor.noSelection')}
                  </Text>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="settings">
                <JsonEditor label={t('flows.editor.settingsJson')} value={settings} onChange={onSettingsJson} readOnly={!canEdit} testId="flow-settings-json" minRows={18} />
              </Tabs.Panel>
            </Tabs>
          </Paper>
        </Grid.Col>
      </Grid>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Simulator flowId={detail.id} dirty={dirty} canSave={canEdit} onSave={doSave} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md" data-testid="flow-channels">
              <Title order={2} size="h5" mb={4}>
                {t('flows.editor.channelsTitle')}
              </Title>
              <Text size="sm" c="dimmed" mb="sm">
                {t('flows.editor.channelsHint')}
              </Text>
              <MultiSelect
                data={(channels.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${channelLabel(t, c.type)})` }))}
                value={detail.channelIds}
                onChange={(ids) => bind.mutate(ids, { onSuccess: (result) => setDetail((d) => ({ ...d, channelIds: result.channelIds })) })}
                disabled={!canEdit || bind.isPending}
                aria-label={t('flows.editor.channelsTitle')}
                searchable
                clearable
                data-testid="flow-channel-select"
              />
              {bind.error ? <ErrorAlert error={bind.error} testId="flow-channels-error" /> : null}
              {channels.error ? <ErrorAlert error={channels.error} /> : null}
            </Paper>
            <Paper withBorder radius="md" p="md" data-testid="flow-versions">
              <Title order={2} size="h5" mb="sm">
                {t('flows.editor.versionsTitle')}
              </Title>
              {detail.versions.length === 0 ? (
                <Text size="sm" c="dimmed" data-testid="flow-versions-empty">
                  {t('flows.editor.noVersions')}
                </Text>
              ) : (
                <Table verticalSpacing={4} striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('flows.editor.version')}</Table.Th>
                      <Table.Th>{t('flows.editor.publishedAt')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...detail.versions]
                      .sort((a, b) => b.version - a.version)
                      .map((v) => (
                        <Table.Tr key={v.version} data-testid="flow-version-row" data-version={v.version}>
                          <Table.Td>
                            <Group gap={6}>
                              <Text size="sm">v{v.version}</Text>
                              {v.version === live && (
                                <Badge size="xs" color="green">
                                  {t('flows.list.live')}
                                </Badge>
                              )}
                            </Group>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{formatDate(v.publishedAt)}</Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
