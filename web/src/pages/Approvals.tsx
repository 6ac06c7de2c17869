import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { followLink } from '../app/router';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../components/FormModal';
import { formatRelative, formatUsd } from '../lib/format';
import { ListingTable } from '../components/ListingTable';

type Decision = { request: Schemas['ApprovalRequest']; outcome: 'approve' | 'reject' };

/** Pending approval requests in my scope: job, requester, cost, rule, escalation and expiry; decide with a comment. */
export default function Approvals() {
  const { api, me, notify } = useConsole();
  const requests = useData(() => unwrap(api.GET('/v1/approvals', { params: { query: { state: 'pending' } } })), [api], { refreshMs: 10_000 });
  const [deciding, setDeciding] = useState<Decision | undefined>();
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={requests.error} header="Approvals could not be loaded" />
      <ListingTable<Schemas['ApprovalRequest']>
        title="Approvals"
        counter={requests.data ? `(${requests.data.items.length})` : undefined}
        description="Jobs waiting for a sign-off you may give (never your own)"
        listing={requests}
        trackBy="id"
        columnDefinitions={[
          {
            id: 'job',
            header: 'Job',
            cell: (request) => (
              <Link href={`/jobs/${request.jobId}`} onFollow={followLink}>
                {request.jobName ?? request.jobId}
              </Link>
            ),
          },
          { id: 'requester', header: 'Requester', cell: (request) => `${request.requesterId}${request.teamId ? ` (${request.teamId})` : ''}` },
          { id: 'cost', header: 'Cost', cell: (request) => (request.costUsd === undefined ? '–' : formatUsd(request.costUsd)) },
          { id: 'rule', header: 'Rule', cell: (request) => request.ruleName ?? request.reason ?? '–' },
          { id: 'age', header: 'Waiting', cell: (request) => formatRelative(request.createdAt) },
          { id: 'escalate', header: 'Escalates', cell: (request) => (request.escalateAt ? formatRelative(request.escalateAt) : '–') },
          { id: 'expire', header: 'Expires', cell: (request) => (request.expireAt ? formatRelative(request.expireAt) : '–') },
          {
            id: 'decide',
            header: '',
            cell: (request) =>
              request.requesterId !== me.id && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button variant="inline-link" ariaLabel={`Approve ${request.jobName ?? request.jobId}`} onClick={() => setDeciding({ request, outcome: 'approve' })}>
                    Approve
                  </Button>
                  <Button variant="inline-link" ariaLabel={`Reject ${request.jobName ?? request.jobId}`} onClick={() => setDeciding({ request, outcome: 'reject' })}>
                    Reject
                  </Button>
                </SpaceBetween>
              ),
          },
        ]}
        empty={<Box textAlign="center">Nothing waits for your approval.</Box>}
      />
      {deciding && (
        <FormModal
          title={`${deciding.outcome === 'approve' ? 'Approve' : 'Reject'} ${deciding.request.jobName ?? deciding.request.jobId}`}
          fields={[{ key: 'comment', label: 'Comment', type: 'text', optional: true, description: 'Recorded with the decision in the audit log' }]}
          submitLabel={deciding.outcome === 'approve' ? 'Approve' : 'Reject'}
          onSubmit={async (body) => {
            const path = { id: deciding.request.id };
            if (deciding.outcome === 'approve') await unwrap(api.POST('/v1/approvals/{id}/approve', { params: { path }, body }));
            else await unwrap(api.POST('/v1/approvals/{id}/reject', { params: { path }, body }));
            notify({ type: 'success', content: `${deciding.request.jobName ?? 'Job'} ${deciding.outcome === 'approve' ? 'approved' : 'rejected'}` });
            requests.reload();
          }}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </SpaceBetween>
  );
}
