import { Paper, Table, Text, Title, UnstyledButton } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { formatKpi } from './kpiFormat';
import type { KpiReport, Kpis } from './types';

export const LEAGUE_SORTS = ['handled', 'averageHandleTimeSeconds', 'csat', 'revenue'] as const;
export type LeagueSort = (typeof LEAGUE_SORTS)[number];

/**
 * Orders agents by one figure: most handled, shortest handle time, best CSAT, most revenue first.
 * Agents without the figure (no handled contacts, no survey answers) go last in either direction.
 */
export function sortLeague<T extends { kpis: Kpis; label: string | null }>(rows: T[], by: LeagueSort, descending: boolean): T[] {
  return [...rows].sort((a, b) => {
    const x = a.kpis[by];
    const y = b.kpis[by];
    if (x === null && y === null) return (a.label ?? '').localeCompare(b.label ?? '');
    if (x === null) return 1;
    if (y === null) return -1;
    return (descending ? y - x : x - y) || (a.label ?? '').localeCompare(b.label ?? '');
  });
}

/** Shorter handle times rank higher; for the other figures more is better. */
const BETTER_IS_LOWER: Record<LeagueSort, boolean> = { handled: false, averageHandleTimeSeconds: true, csat: false, revenue: false };

export function AgentLeague({ report, t, language }: { report: KpiReport; t: TFunction; language: string }) {
  const [sort, setSort] = useState<{ by: LeagueSort; descending: boolean }>({ by: 'handled', descending: true });
  const rows = sortLeague(
    // Contacts nobody answered have no agent: they are not part of the league.
    report.rows.filter((r) => !!r.key),
    sort.by,
    sort.descending,
  );
  const choose = (by: LeagueSort) =>
    setSort((current) => (current.by === by ? { by, descending: !current.descending } : { by, descending: !BETTER_IS_LOWER[by] }));
  const fmt = (value: number | null, format: Parameters<typeof formatKpi>[1]) => formatKpi(value, format, language, report.currency);
  const header = (by: LeagueSort, label: string) => (
    <Table.Th ta="right" aria-sort={sort.by === by ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => choose(by)} fw={600} fz="sm" data-testid={`reports-league-sort-${by}`}>
        {label}
        {sort.by === by ? (sort.descending ? ' ↓' : ' ↑') : ''}
      </UnstyledButton>
    </Table.Th>
  );

  return (
    <Paper withBorder radius="md" p="md" data-testid="reports-agent-league">
      <Title order={2} size="h4" mb="sm">
        {t('reports.league.title')}
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl" data-testid="reports-agent-league-empty">
          {t('reports.noData')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>#</Table.Th>
                <Table.Th>{t('reports.league.agent')}</Table.Th>
                {header('handled', t('reports.kpis.handled'))}
                {header('averageHandleTimeSeconds', t('reports.kpis.averageHandleTimeSeconds'))}
                {header('csat', t('reports.kpis.csat'))}
                {header('revenue', t('reports.kpis.revenue'))}
                <Table.Th ta="right">{t('reports.kpis.firstContactResolution')}</Table.Th>
                <Table.Th ta="right">{t('reports.kpis.occupancy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => (
                <Table.Tr key={r.key} data-testid="reports-league-row" data-agent-id={r.key}>
                  <Table.Td>{i + 1}</Table.Td>
                  <Table.Td>{r.label ?? r.key}</Table.Td>
                  <Table.Td ta="right">{fmt(r.kpis.handled, 'count')}</Table.Td>
                  <Table.Td ta="right">{fmt(r.kpis.averageHandleTimeSeconds, 'duration')}</Table.Td>
                  <Table.Td ta="right">{fmt(r.kpis.csat, 'score')}</Table.Td>
                  <Table.Td ta="right">{fmt(r.kpis.revenue, 'money')}</Table.Td>
                  <Table.Td ta="right">{fmt(r.kpis.firstContactResolution, 'percent')}</Table.Td>
                  <Table.Td ta="right">{fmt(r.kpis.occupancy, 'percent')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
