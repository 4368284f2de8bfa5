import { Box, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';

export interface Bar {
  key: string;
  label: string;
  value: number | null;
  /** Shown at the end of the bar; defaults to the value. */
  display?: string;
  color?: string;
}

interface BarChartProps {
  title: string;
  bars: Bar[];
  /** Full scale; defaults to the largest value. */
  max?: number;
  color?: string;
  empty: string;
  testId?: string;
}

/** A small horizontal bar chart in plain CSS: one labelled bar per row, value at the end. */
export function BarChart({ title, bars, max, color = 'blue.6', empty, testId }: BarChartProps) {
  const scale = max ?? Math.max(1, ...bars.map((b) => b.value ?? 0));
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {bars.length === 0 ? (
        <Text c="dimmed" size="sm">
          {empty}
        </Text>
      ) : (
        <Stack gap={8} role="list">
          {bars.map((bar) => {
            const pct = bar.value === null ? 0 : Math.max(0, Math.min(100, (bar.value / scale) * 100));
            const display = bar.display ?? (bar.value === null ? '—' : String(bar.value));
            return (
              <Group key={bar.key} gap="sm" wrap="nowrap" role="listitem" data-testid="chart-bar" data-key={bar.key} data-value={bar.value ?? ''}>
                <Text size="sm" w={140} truncate="end" title={bar.label} style={{ flex: 'none' }}>
                  {bar.label}
                </Text>
                <Tooltip label={`${bar.label}: ${display}`} withinPortal>
                  <Box style={{ flex: 1, minWidth: 40 }} h={18} bg="gray.1" pos="relative">
                    <Box h="100%" w={`${pct}%`} bg={bar.color ?? color} style={{ transition: 'width 300ms ease', borderRadius: 2 }} />
                  </Box>
                </Tooltip>
                <Text size="sm" fw={600} w={56} ta="right" style={{ flex: 'none', fontVariantNumeric: 'tabular-nums' }}>
                  {display}
                </Text>
              </Group>
            );
          })}
        </Stack>
      )}
    </Paper>
  );
}
