import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CreatedApiKey } from '../../types';

/** Shows a freshly created API key's secret — the only time it is ever visible. */
export function SecretModal({ created, onClose }: { created: CreatedApiKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title={t('apiKeys.secretTitle')}
      size="lg"
      closeOnClickOutside={false}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {created && (
        <Stack>
          <Alert color="yellow" variant="light" title={t('apiKeys.secretWarningTitle')}>
            {t('apiKeys.secretWarning')}
          </Alert>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('apiKeys.secretLabel', { name: created.apiKey.name })}
            </Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="api-key-secret">
              {created.secret}
            </Code>
          </Stack>
          <Group justify="space-between">
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : 'blue'} onClick={copy} data-testid="api-key-copy">
                  {copied ? t('apiKeys.copied') : t('apiKeys.copy')}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={onClose}>
              {t('apiKeys.done')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
