import { Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { PageHeader } from './PageHeader';

/** A simple page with a title, a message and a link back to the overview. */
export function MessagePage({ title, message, back }: { title: string; message: string; back: string }) {
  return (
    <Stack align="flex-start">
      <PageHeader title={title} />
      <Text>{message}</Text>
      <Button component={Link} to="/" variant="light">
        {back}
      </Button>
    </Stack>
  );
}
