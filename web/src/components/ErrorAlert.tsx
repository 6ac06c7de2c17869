import Alert from '@cloudscape-design/components/alert';
import type { ShownError } from '../api/errors';

/** The API's error envelope as a page-level message (field errors are shown at their fields). */
export function ErrorAlert({ error, header }: { error: ShownError | undefined; header?: string }) {
  if (!error) return null;
  return (
    <Alert type="error" header={header ?? 'Request failed'}>
      {error.message}
    </Alert>
  );
}
