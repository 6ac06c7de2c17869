import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useState } from 'react';
import type { Schemas } from '../api/client';
import { fieldError, isShownError, unwrap, type ShownError } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatRelative } from '../lib/format';

type JobEventType = Schemas['MyNotifications']['availableJobEvents'][number];

/** What each of my jobs' events means, in the words of the event catalog (docs/events.md). */
const JOB_EVENT_LABELS: Record<JobEventType, string> = {
  'job.submitted': 'Accepted (queued, or waiting for approval)',
  'job.started': 'Started running',
  'job.completed': 'Completed successfully',
  'job.failed': 'Failed or timed out',
  'job.cancelled': 'Cancelled',
  'approval.granted': 'Approved by an approver',
  'approval.rejected': 'Rejected by an approver',
  'approval.expired': 'Expired: nobody decided in time',
};

/**
 * My email notifications: which events of my own jobs, and whether approval requests that wait for me, are
 * mailed to me. Always to my own address (from my identity provider): there is no address to type.
 */
export default function MyNotifications() {
  const { api, notify } = useConsole();
  const current = useData(() => unwrap(api.GET('/v1/me/notifications')), [api]);
  const [jobEvents, setJobEvents] = useState<JobEventType[]>([]);
  const [approvals, setApprovals] = useState(false);
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!current.data) return;
    setJobEvents(current.data.jobEvents);
    setApprovals(current.data.approvals);
  }, [current.data]);

  const save = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.PUT('/v1/me/notifications', { body: { jobEvents, approvals } }));
      notify({ type: 'success', content: 'Email notifications saved' });
      current.reload();
    } catch (reason) {
      setError(isShownError(reason) ? reason : undefined);
    } finally {
      setBusy(false);
    }
  };

  const data = current.data;
  const toggle = (type: JobEventType, on: boolean) =>
    setJobEvents((chosen) => (on ? [...chosen.filter((t) => t !== type), type] : chosen.filter((t) => t !== type)));

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="Email about your own jobs, and the approval requests that wait for you">
        Email notifications
      </Header>
      <ErrorAlert error={current.error} header="Your notification settings could not be loaded" />
      {data && !data.deliverable && (
        <Alert type="warning" header="Your account has no email address that can receive mail">
          Your identity provider sent no email address for you ({data.email}). Ask an administrator to set one; until then nothing can be sent.
        </Alert>
      )}
      {data && (
        <form onSubmit={(event) => { event.preventDefault(); void save(); }}>
          <Form
            actions={
              <Button variant="primary" formAction="submit" loading={busy} disabled={!data.deliverable && (jobEvents.length > 0 || approvals)}>
                Save
              </Button>
            }
            errorText={error && !fieldError(error, 'body.jobEvents') && !fieldError(error, 'body.approvals') ? error.message : undefined}
          >
            <SpaceBetween size="l">
              <Container header={<Header variant="h2" description={`Sent to ${data.email}, the address your identity provider gives for you`}>Where</Header>}>
                <span data-testid="notification-address">{data.email}</span>
                {data.updatedAt && <div>Last changed {formatRelative(data.updatedAt)}</div>}
              </Container>
              <Container header={<Header variant="h2">My jobs</Header>}>
                <FormField label="Email me when one of my jobs is…" errorText={fieldError(error, 'body.jobEvents')}>
                  <SpaceBetween size="xs">
                    {data.availableJobEvents.map((type) => (
                      <Checkbox key={type} checked={jobEvents.includes(type)} onChange={({ detail }) => toggle(type, detail.checked)} description={type}>
                        {JOB_EVENT_LABELS[type]}
                      </Checkbox>
                    ))}
                  </SpaceBetween>
                </FormField>
              </Container>
              <Container header={<Header variant="h2">Approvals</Header>}>
                <FormField
                  label="Approval requests"
                  errorText={fieldError(error, 'body.approvals')}
                  description={
                    data.canApprove
                      ? 'Each email carries approve and reject links for you alone; a link opens a confirmation page and works once, for 24 hours.'
                      : 'You hold no approval right today: nothing will be sent unless you are given one.'
                  }
                >
                  <Checkbox checked={approvals} onChange={({ detail }) => setApprovals(detail.checked)}>
                    Email me approval requests I may decide
                  </Checkbox>
                </FormField>
              </Container>
            </SpaceBetween>
          </Form>
        </form>
      )}
    </SpaceBetween>
  );
}
