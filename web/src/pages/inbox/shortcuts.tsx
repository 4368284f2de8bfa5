import { Kbd, Modal, Table, Text } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** True when a key press belongs to a text field (or a menu/list that handles keys itself). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return target.closest('[role="dialog"], [role="menu"], [role="listbox"]') !== null;
}

export type ShortcutMap = Partial<Record<string, (event: KeyboardEvent) => void>>;

/**
 * Single-key shortcuts on the window. Ignored while typing in a field, with Ctrl/Cmd/Alt held,
 * or when something else already handled the key.
 */
export function useShortcuts(map: ShortcutMap, enabled = true): void {
  const ref = useRef(map);
  useLayoutEffect(() => {
    ref.current = map;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (isTypingTarget(e.target)) return;
      const handler = ref.current[e.key];
      if (!handler) return;
      e.preventDefault();
      handler(e);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

const SHORTCUTS = [
  { keys: ['j'], label: 'next' },
  { keys: ['k'], label: 'previous' },
  { keys: ['r'], label: 'reply' },
  { keys: ['n'], label: 'note' },
  { keys: ['e'], label: 'resolve' },
  { keys: ['a'], label: 'assignMe' },
  { keys: ['/'], label: 'search' },
  { keys: ['Ctrl', '↵'], label: 'send' },
  { keys: ['?'], label: 'help' },
] as const;

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('inbox.shortcuts.title')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <div data-testid="shortcuts-help">
        <Table verticalSpacing={6}>
          <Table.Tbody>
            {SHORTCUTS.map((s) => (
              <Table.Tr key={s.label}>
                <Table.Td w={110}>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' + '}
                      <Kbd>{k}</Kbd>
                    </span>
                  ))}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t(`inbox.shortcuts.${s.label}`)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="sm">
          {t('inbox.shortcuts.hint')}
        </Text>
      </div>
    </Modal>
  );
}
