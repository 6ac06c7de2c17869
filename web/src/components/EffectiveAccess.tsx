import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import type { Schemas } from '../api/client';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { ErrorAlert } from './ErrorAlert';

/** What a user may do and why (`GET /v1/users/{userId}/access`): the level, the platform flag, the overrides, the result. */
export function EffectiveAccess({ user, onClose }: { user: Schemas['User']; onClose: () => void }) {
  const { api } = useConsole();
  const access = useData(() => unwrap(api.GET('/v1/users/{userId}/access', { params: { path: { userId: user.id } } })), [api, user.id]);
  return (
    <Modal visible header={`Effective access of ${user.displayName}`} onDismiss={onClose} footer={<Box float="right"><Button onClick={onClose}>Close</Button></Box>}>
      <ErrorAlert error={access.error} header="Access could not be loaded" />
      {access.loading && !access.data && <Spinner />}
      {access.data && (
        <SpaceBetween size="m">
          <ColumnLayout columns={3} variant="text-grid">
            <div>
              <Box variant="awsui-key-label">Level</Box>
              <div>
                {access.data.level} (priority {access.data.levelPriority})
              </div>
            </div>
            <div>
              <Box variant="awsui-key-label">Platform admin</Box>
              <div>{access.data.platformAdmin ? 'yes' : 'no'}</div>
            </div>
            <div>
              <Box variant="awsui-key-label">Overrides</Box>
              <div>{access.data.overrides.map((override) => `${override.effect} ${override.permission}`).join(', ') || 'none'}</div>
            </div>
          </ColumnLayout>
          <div>
            <Box variant="awsui-key-label">Permissions ({access.data.permissions.length})</Box>
            <Box variant="code">{access.data.permissions.join(', ')}</Box>
          </div>
        </SpaceBetween>
      )}
    </Modal>
  );
}
