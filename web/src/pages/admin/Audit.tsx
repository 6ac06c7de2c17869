import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { isShownError, unwrap, type ShownError } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';

/** The org's hash-chained audit log: filters, cursor paging, and chain verification. */
export default function Audit() {
  const { api, can } = useConsole();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState(0);
  const entries = useData(
    () =>
      unwrap(
        api.GET('/v1/audit', {
          params: { query: { limit: 25, ...(actor ? { actor } : {}), ...(action ? { action } : {}), ...(cursors[page] ? { cursor: cursors[page] } : {}) } },
        }),
      ),
    [api, actor, action, page],
  );
  const next = entries.data?.nextCursor;
  const [verification, setVerification] = useState<Schemas['AuditVerification'] | ShownError | undefined>();

  const verify = async (): Promise<void> => {
    try {
      setVerification(await unwrap(api.GET('/v1/audit/verify')));
    } catch (reason) {
      setVerification(isShownError(reason) ? reason : undefined);
    }
  };

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={entries.error} header="The audit log could not be loaded" />
      {verification && 'ok' in verification && (
        <Alert type={verification.ok ? 'success' : 'error'} header={verification.ok ? 'The chain is intact' : 'The chain is broken'}>
          {verification.ok ? `${verification.checked} entries checked up to #${verification.headSeq}.` : `${verification.broken?.message ?? ''} (entry #${verification.broken?.seq ?? '?'})`}
        </Alert>
      )}
      {verification && !('ok' in verification) && <ErrorAlert error={verification} header="Verification failed" />}
      <Table<Schemas['AuditEntry']>
        header={
          <Header variant="h1" description="Every mutation, sign-in and denied request, hash-chained" actions={can('audit.verify') && <Button onClick={() => void verify()}>Verify chain</Button>}>
            Audit log
          </Header>
        }
        filter={
          <ColumnLayout columns={2}>
            <FormField label="Actor">
              <Input value={actor} onChange={({ detail }) => (setActor(detail.value), setCursors([undefined]), setPage(0))} placeholder="user id" />
            </FormField>
            <FormField label="Action">
              <Input value={action} onChange={({ detail }) => (setAction(detail.value), setCursors([undefined]), setPage(0))} placeholder="e.g. setUserLevel" />
            </FormField>
          </ColumnLayout>
        }
        pagination={
          <Pagination
            currentPageIndex={page + 1}
            pagesCount={cursors.length + (next && page === cursors.length - 1 ? 1 : 0)}
            openEnd={Boolean(next)}
            onChange={({ detail }) => {
              const index = detail.currentPageIndex - 1;
              if (index > page && next && cursors.length === page + 1) setCursors([...cursors, next]);
              setPage(index);
            }}
          />
        }
        loading={entries.loading && !entries.data}
        items={entries.data?.items ?? []}
        trackBy="seq"
        wrapLines
        columnDefinitions={[
          { id: 'seq', header: '#', cell: (entry) => entry.seq },
          { id: 'at', header: 'At', cell: (entry) => new Date(entry.at).toLocaleString() },
          { id: 'actor', header: 'Actor', cell: (entry) => entry.actor },
          { id: 'action', header: 'Action', cell: (entry) => entry.action },
          { id: 'target', header: 'Target', cell: (entry) => entry.target },
          {
            id: 'outcome',
            header: 'Outcome',
            cell: (entry) => <StatusIndicator type={entry.outcome === 'success' ? 'success' : entry.outcome === 'denied' ? 'warning' : 'error'}>{entry.outcome}</StatusIndicator>,
          },
          { id: 'details', header: 'Details', cell: (entry) => <code>{JSON.stringify(entry.details)}</code> },
        ]}
        empty={<Box textAlign="center">No entries match.</Box>}
      />
    </SpaceBetween>
  );
}
