import { Badge, Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { CenteredLoader } from '../components/CenteredLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormatDate } from '../format';
import { useMaturity, useSaveMaturity } from './api';
import { formatReference } from './format';
import { MATURITY_LEVELS, MATURITY_QUESTIONS, type MaturityLevel, type MaturityQuestion, type Reference } from './types';

type Answers = Partial<Record<MaturityQuestion, number>>;
const SCALE = [0, 1, 2, 3, 4] as const;

/** The maturity self-assessment: the questionnaire, the level it scores, the reference distribution and the history. */
export function MaturitySection({ reference }: { reference: Array<{ level: MaturityLevel; reference: Reference | null }> }) {
  const { t } = useTranslation();
  const maturity = useMaturity();
  const save = useSaveMaturity();
  const [answers, setAnswers] = useState<Answers>({});
  const [profitCentre, setProfitCentre] = useState<boolean | null>(null);
  const current = maturity.data?.current ?? null;

  // Start the form from the latest answers, so a re-assessment changes only what moved. Keyed on
  // the id: a refetch of the same assessment must not wipe what is being filled in.
  const currentId = current?.id;
  useEffect(() => {
    if (!current) return;
    setAnswers(current.answers);
    setProfitCentre(current.runAsProfitCentre);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [currentId]);

  if (maturity.isPending) return <CenteredLoader />;
  if (maturity.error) return <ErrorAlert error={maturity.error} />;
  const complete = MATURITY_QUESTIONS.every((q) => answers[q] !== undefined) && profitCentre !== null;

  return (
    <Paper withBorder p="md" data-testid="benchmark-maturity">
      <Title order={2} size="h4" mb="xs">
        {t('benchmark.maturity.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('benchmark.maturity.description')}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
        <Stack gap="sm">
          {MATURITY_QUESTIONS.map((q) => (
            <Stack key={q} gap={4}>
              <Text size="sm" fw={500} id={`maturity-${q}`}>
                {t(`benchmark.maturity.questions.${q}`)}
              </Text>
              <SegmentedControl
                size="xs"
                fullWidth
                aria-labelledby={`maturity-${q}`}
                value={answers[q] === undefined ? '' : String(answers[q])}
                onChange={(v) => setAnswers((a) => ({ ...a, [q]: Number(v) }))}
                data={SCALE.map((n) => ({ value: String(n), label: t(`benchmark.maturity.scale.${n}`) }))}
                data-testid={`maturity-${q}`}
              />
            </Stack>
          ))}
          <Stack gap={4}>
            <Text size="sm" fw={500} id="maturity-profit-centre">
              {t('benchmark.profit.question')}
            </Text>
            <SegmentedControl
              size="xs"
              aria-labelledby="maturity-profit-centre"
              value={profitCentre === null ? '' : profitCentre ? 'yes' : 'no'}
              onChange={(v) => setProfitCentre(v === 'yes')}
              data={[
                { value: 'yes', label: t('benchmark.yes') },
                { value: 'no', label: t('benchmark.no') },
              ]}
              data-testid="maturity-profit-centre"
            />
          </Stack>
          <ErrorAlert error={save.error} />
          <Group>
            <Button
              disabled={!complete}
              loading={save.isPending}
              onClick={() => save.mutate({ answers: answers as Record<MaturityQuestion, number>, runAsProfitCentre: profitCentre! })}
              data-testid="maturity-save"
            >
              {t('benchmark.maturity.save')}
            </Button>
            {!complete && (
              <Text size="sm" c="dimmed">
                {t('benchmark.maturity.incomplete')}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {t('benchmark.maturity.scoring')}
          </Text>
        </Stack>
        <Stack>
          <CurrentLevel t={t} level={current?.level ?? null} score={current?.score ?? null} weakest={current?.weakest ?? []} />
          <LevelChart t={t} current={current?.level ?? null} reference={reference} />
          <History />
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

function CurrentLevel({ t, level, score, weakest }: { t: TFunction; level: MaturityLevel | null; score: number | null; weakest: MaturityQuestion[] }) {
  if (!level) return <Text c="dimmed">{t('benchmark.maturity.none')}</Text>;
  return (
    <Stack gap={4} data-testid="maturity-current">
      <Group gap="xs">
        <Text>{t('benchmark.maturity.yourLevel')}</Text>
        <Badge size="lg" data-testid="maturity-level">
          {t(`benchmark.maturity.level.${level}`)}
        </Badge>
        <Text c="dimmed">{t('benchmark.maturity.score', { score })}</Text>
      </Group>
      {weakest.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('benchmark.maturity.weakest', { areas: weakest.map((q) => t(`benchmark.maturity.short.${q}`)).join(', ') })}
        </Text>
      )}
    </Stack>
  );
}

/** The share of centres at each level; only the levels the benchmark gives a figure for have a bar. */
function LevelChart({ t, current, reference }: { t: TFunction; current: MaturityLevel | null; reference: Array<{ level: MaturityLevel; reference: Reference | null }> }) {
  const { i18n } = useTranslation();
  const data = MATURITY_LEVELS.map((level) => {
    const figure = reference.find((r) => r.level === level)?.reference ?? null;
    return {
      name: t(`benchmark.maturity.level.${level}`),
      value: figure?.value ?? 0,
      label: figure ? formatReference(figure.value, i18n.language) : t('benchmark.noReference'),
      yours: level === current,
    };
  });
  const source = reference.find((r) => r.reference)?.reference;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('benchmark.maturity.distribution')}
      </Text>
      <div style={{ width: '100%', height: 220 }} data-testid="maturity-distribution">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 20, left: 8, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 12 }} />
            <YAxis unit="%" domain={[0, 100]} />
            <Bar dataKey="value" isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.name} fill={d.yours ? 'var(--mantine-color-blue-6)' : 'var(--mantine-color-gray-5)'} />
              ))}
              <LabelList dataKey="label" position="top" style={{ fontSize: 11 }} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Text size="xs" c="dimmed">
        {t('benchmark.maturity.chartLegend')}
      </Text>
      {source && (
        <Text size="xs" c="dimmed">
          {t('benchmark.source', { source: source.source, year: source.year, population: source.population })}
        </Text>
      )}
    </Stack>
  );
}

function History() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const history = useMaturity().data?.history ?? [];
  if (history.length === 0) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('benchmark.maturity.history')}
      </Text>
      <Table data-testid="maturity-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('benchmark.maturity.when')}</Table.Th>
            <Table.Th>{t('benchmark.maturity.who')}</Table.Th>
            <Table.Th>{t('benchmark.maturity.levelColumn')}</Table.Th>
            <Table.Th>{t('benchmark.maturity.scoreColumn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.slice(0, 10).map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{formatDate(a.assessedAt)}</Table.Td>
              <Table.Td>{a.assessedByName ?? a.assessedBy}</Table.Td>
              <Table.Td>{t(`benchmark.maturity.level.${a.level}`)}</Table.Td>
              <Table.Td>{a.score}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
