import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { hasRole } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { useCurrentSession } from '../session';
import { AgentsTab } from './setup/AgentsTab';
import { QueuesTab } from './setup/QueuesTab';
import { SettingsTab } from './setup/SettingsTab';
import { WorkflowsTab } from './setup/WorkflowsTab';

const TABS = ['queues', 'workflows', 'agents', 'settings'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: unknown): value is Tab {
  return typeof value === 'string' && (TABS as readonly string[]).includes(value);
}

/** `/routing/setup`: supervisors read the configuration, admins change it. */
export function RoutingSetupPage() {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const canEdit = hasRole(user.role, 'admin');
  const [params, setParams] = useSearchParams();
  const tab: Tab = isTab(params.get('tab')) ? (params.get('tab') as Tab) : 'queues';

  return (
    <>
      <PageHeader title={t('routing.setup.title')} description={canEdit ? undefined : t('routing.setup.readOnly')} />
      <Tabs value={tab} onChange={(value) => isTab(value) && setParams({ tab: value }, { replace: true })} keepMounted={false} data-testid="routing-setup">
        <Tabs.List mb="md">
          {TABS.map((name) => (
            <Tabs.Tab key={name} value={name} data-testid={`setup-tab-${name}`}>
              {t(`routing.setup.tabs.${name}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="queues">
          <QueuesTab canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="workflows">
          <WorkflowsTab canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="agents">
          {/* The agents API is the supervisor's: skills, languages and capacity are team management. */}
          <AgentsTab canEdit />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <SettingsTab canEdit={canEdit} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
