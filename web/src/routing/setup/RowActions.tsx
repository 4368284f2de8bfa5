import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * Edit (or view, without the right to edit) and delete, for one row of a setup list. Deleting
 * asks first, with the row's name in the question.
 */
export function RowActions(props: {
  /** Test ids are `<testId>-edit` and `<testId>-delete`. */
  testId: string;
  canEdit: boolean;
  deleting: boolean;
  confirmText: string;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Button size="xs" variant="default" onClick={props.onEdit} data-testid={`${props.testId}-edit`}>
        {props.canEdit ? t('routing.common.edit') : t('routing.common.view')}
      </Button>
      {props.canEdit && (
        <Button
          size="xs"
          color="red"
          variant="subtle"
          loading={props.deleting}
          onClick={() => window.confirm(props.confirmText) && props.onDelete()}
          data-testid={`${props.testId}-delete`}
        >
          {t('routing.common.delete')}
        </Button>
      )}
    </Group>
  );
}
