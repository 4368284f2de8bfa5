import { Alert, Badge, Button, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api';
import { hasRole } from '../auth';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useFormatDate } from '../format';
import { BarChart } from '../routing/BarChart';
import { useCurrentSession } from '../session';
import { useClvOverview, useRefitClv } from './api';
import { churnColor, modelCurrency, TIER_COLORS, useValueFormatters } from './format';
import { VALUE_TIERS, type AtRiskCustomer, type ClvModel } from './types';

const TIER_BAR_COLORS = { platinum: 'violet.6', gold: 'yellow.6', silver: 'gray.5', bronze: 'orange.7', none: 'gray.3' } as const;

/** Supervisors' view of customer lifetime value: the model, tiers, CLV distribution and who is at risk. */
export function ClvPage() {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  const overview = useClvOverview();
  const refit = useRefitClv();
  const model = overview.data?.model ?? null;
  const f = useValueFormatters(modelCurrency(model));

  const refitButton = hasRole(user.role, 'admin') ? (
    <Button onClick={() => refit.mutate()} loading={refit.isPending} data-testid="clv-refit">
      {t('clv.page.refit')}
    </Button>
  ) : undefined;

  if (overview.isPending) return <CenteredLoader />;

  const data = overview.data;
  return (
    <Stack data-testid="clv-page">
      <PageHeader title={t('clv.page.title')} description={t('clv.page.description')} actions={refitButton} />
      {overview.isError && <ErrorAlert error={overview.error} />}
      {refit.isError &&
        (isApiError(refit.error) && refit.error.code === 'clv_insufficient_data' ? (
          <Alert color="yellow" variant="light" role="alert" title={t('clv.page.insufficientTitle')} data-testid="clv-refit-insufficient">
            <Text size="sm">{t('clv.page.insufficient')}</Text>
            <Text size="xs" c="dimmed" mt={4}>
              {refit.error.message}
            </Text>
          </Alert>
        ) : (
          <ErrorAlert error={refit.error} testId="clv-refit-error" />
        ))}
      {refit.isSuccess && (
        <Alert color="green" variant="light" data-testid="clv-refit-done" withCloseButton onClose={() => refit.reset()}>
          {t('clv.page.refitted', { version: refit.data.version })}
        </Alert>
      )}

      {data && (
        <>
          <ModelSummary model={data.model} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <BarChart
              title={t('clv.page.tiersChart')}
              bars={VALUE_TIERS.map((tier) => ({ key: tier, label: t(`clv.tier.${tier}`), value: data.tiers[tier], color: TIER_BAR_COLORS[tier] }))}
              empty={t('clv.page.noData')}
              testId="clv-chart-tiers"
            />
            <BarChart
              title={t('clv.page.histogram')}
              bars={data.clvHistogram.map((b, i) => ({ key: String(i), label: `${f.money(b.from)} – ${f.money(b.to)}`, value: b.count, color: 'teal.6' }))}
              empty={t('clv.page.noData')}
              testId="clv-chart-histogram"
            />
          </SimpleGrid>
          <AtRiskTable customers={data.atRisk} currency={modelCurrency(data.model)} />
        </>
      )}
    </Stack>
  );
}

function ModelSummary({ model }: { model: ClvModel | null }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const f = useValueFormatters(null);
  if (!model) {
    return (
      <Paper withBorder radius="md" p="md" data-testid="clv-model">
        <Text c="dimmed" data-testid="clv-no-model">
          {t('clv.page.noModel')}
        </Text>
      </Paper>
    );
  }
  const bg = (model.parameters.bgnbd ?? {}) as Record<string, unknown>;
  const gg = (model.parameters.gammaGamma ?? {}) as Record<string, unknown>;
  const items: Array<[string, string, string]> = [
    ['version', t('clv.page.version'), String(model.version)],
    ['fitted-at', t('clv.page.fittedAt'), formatDate(model.fittedAt)],
    ['customers', t('clv.page.customers'), String(model.customers)],
    ['r', 'BG/NBD r', f.decimal(bg.r)],
    ['alpha', 'BG/NBD α', f.decimal(bg.alpha)],
    ['a', 'BG/NBD a', f.decimal(bg.a)],
    ['b', 'BG/NBD b', f.decimal(bg.b)],
    ['p', 'Gamma-Gamma p', f.decimal(gg.p)],
    ['q', 'Gamma-Gamma q', f.decimal(gg.q)],
    ['v', 'Gamma-Gamma v', f.decimal(gg.v)],
  ];
  return (
    <Paper withBorder radius="md" p="md" data-testid="clv-model">
      <Title order={2} size="h4" mb="sm">
        {t('clv.page.model')}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
        {items.map(([key, label, value]) => (
          <div key={key}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid={`clv-model-${key}`}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

function AtRiskTable({ customers, currency }: { customers: AtRiskCustomer[]; currency: string | null }) {
  const { t } = useTranslation();
  const f = useValueFormatters(currency);
  return (
    <Paper withBorder radius="md">
      <Title order={2} size="h4" p="md" pb={0}>
        {t('clv.page.atRisk')}
      </Title>
      <Text size="sm" c="dimmed" px="md">
        {t('clv.page.atRiskHint')}
      </Text>
      {customers.length === 0 ? (
        <Text c="dimmed" size="sm" p="md" data-testid="clv-at-risk-empty">
          {t('clv.page.noAtRisk')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="clv-at-risk-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('clv.page.customer')}</Table.Th>
                <Table.Th>{t('clv.page.tier')}</Table.Th>
                <Table.Th ta="right">{t('clv.panel.clv')}</Table.Th>
                <Table.Th ta="right">{t('clv.panel.churnRisk')}</Table.Th>
                <Table.Th ta="right">{t('clv.panel.pAlive')}</Table.Th>
                <Table.Th ta="right">{t('clv.page.valueAtRisk')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {customers.map((c) => (
                <Table.Tr key={c.id} data-testid="clv-at-risk-row" data-customer-id={c.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {c.name || c.email || t('common.none')}
                    </Text>
                    {c.name && c.email && (
                      <Text size="xs" c="dimmed">
                        {c.email}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={TIER_COLORS[c.valueTier]}>
                      {t(`clv.tier.${c.valueTier}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {f.money(c.clv)}
                  </Table.Td>
                  <Table.Td ta="right" c={churnColor(c.churnRisk)} fw={600} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="clv-at-risk-churn">
                    {f.percent(c.churnRisk)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {f.percent(c.pAlive)}
                  </Table.Td>
                  <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="clv-at-risk-value">
                    {f.money(c.valueAtRisk)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
