import { Box, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { methodLabel, paletteColor, slotLabel, useFigures } from './format';
import type { Backtest, ForecastStream } from './types';

const toPercent = (fraction: number | null) => (fraction == null || !Number.isFinite(fraction) ? null : Math.round(fraction * 1000) / 10);

/** The forecast per interval over the chosen days; holidays are shaded and named. */
export function ForecastChart({ stream, timeZone }: { stream: ForecastStream; timeZone: string }) {
  const { t } = useTranslation();
  const { decimal, language } = useFigures();
  const multiDay = stream.days.length > 1;
  const data = stream.days.flatMap((d) => d.intervals.map((i) => ({ start: i.start, forecast: Math.round(i.forecast * 100) / 100 })));
  const holidays = stream.days.filter((d) => d.holiday && d.intervals.length > 0);
  const label = (iso: unknown) => (typeof iso === 'string' ? slotLabel(iso, language, timeZone, multiDay) : '');
  return (
    <Paper withBorder radius="md" p="md" data-testid="forecast-chart">
      <Title order={2} size="h4" mb="sm">
        {t('workforce.forecast.chartTitle')}
      </Title>
      <Box h={320}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="start" tickFormatter={label} tick={{ fontSize: 12 }} minTickGap={24} />
            <YAxis tick={{ fontSize: 12 }} />
            <Tooltip labelFormatter={label} formatter={(value) => [typeof value === 'number' ? decimal(value) : String(value), t('workforce.forecast.contacts')]} />
            {holidays.map((d) => (
              <ReferenceArea
                key={d.date}
                x1={d.intervals[0]?.start}
                x2={d.intervals[d.intervals.length - 1]?.start}
                fill="var(--mantine-color-orange-3)"
                fillOpacity={0.3}
                label={{ value: d.holiday ?? '', position: 'insideTop', fontSize: 12 }}
              />
            ))}
            <Line type="monotone" dataKey="forecast" name={t('workforce.forecast.contacts')} stroke={paletteColor(0)} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </Box>
    </Paper>
  );
}

/** The backtest: the method's error beside the naive baselines', and its error per time of day. */
export function BacktestCharts({ backtest }: { backtest: Backtest | null }) {
  const { t } = useTranslation();
  const { fmt } = useFigures();
  if (!backtest) {
    return (
      <Paper withBorder radius="md" p="md" data-testid="forecast-backtest-none" style={{ gridColumn: 'span 2' }}>
        <Title order={2} size="h4" mb="sm">
          {t('workforce.forecast.backtest.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('workforce.forecast.backtest.none')}
        </Text>
      </Paper>
    );
  }
  const methods = [{ name: backtest.method, wape: backtest.wape, mape: backtest.mape }, ...backtest.baselines].map((m) => ({ name: methodLabel(t, m.name), wape: toPercent(m.wape), mape: toPercent(m.mape) }));
  const slots = backtest.perInterval.map((s) => ({ slot: s.slot, wape: toPercent(s.wape), mape: toPercent(s.mape) }));
  const percent = (value: unknown) => (typeof value === 'number' ? `${value}%` : String(value));
  return (
    <>
      <Paper withBorder radius="md" p="md" data-testid="forecast-backtest">
        <Title order={2} size="h4" mb={4}>
          {t('workforce.forecast.backtest.title')}
        </Title>
        <Text size="xs" c="dimmed" mb="sm">
          {t('workforce.forecast.backtest.summary', { count: backtest.testDays, wape: fmt(backtest.wape, 'percent'), mape: fmt(backtest.mape, 'percent'), daily: fmt(backtest.dailyTotalApe, 'percent') })}
        </Text>
        <Box h={260}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={methods} layout="vertical" margin={{ left: 8, right: 16 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" unit="%" tick={{ fontSize: 12 }} />
              <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 11 }} />
              <Tooltip formatter={percent} />
              <Legend />
              <Bar dataKey="wape" name="WAPE" fill={paletteColor(0)} isAnimationActive={false} />
              <Bar dataKey="mape" name="MAPE" fill={paletteColor(2)} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </Box>
      </Paper>
      <Paper withBorder radius="md" p="md" data-testid="forecast-backtest-slots">
        <Title order={2} size="h4" mb={4}>
          {t('workforce.forecast.backtest.perSlot')}
        </Title>
        <Text size="xs" c="dimmed" mb="sm">
          {t('workforce.forecast.backtest.perSlotHint')}
        </Text>
        <Box h={260}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={slots} margin={{ left: 0, right: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="slot" tick={{ fontSize: 12 }} minTickGap={16} />
              <YAxis unit="%" tick={{ fontSize: 12 }} />
              <Tooltip formatter={percent} />
              <Legend />
              <Line dataKey="wape" name="WAPE" stroke={paletteColor(0)} dot={false} connectNulls isAnimationActive={false} />
              <Line dataKey="mape" name="MAPE" stroke={paletteColor(2)} dot={false} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      </Paper>
    </>
  );
}
