import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useMemo, useState } from 'react';
import type { Schemas } from '../api/client';
import { fieldError, isShownError, unwrap, type ShownError } from '../api/errors';
import { useConsole } from '../app/context';
import { navigate } from '../app/router';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { splitCommand } from '../lib/argv';
import { estimateCost, formatGpuHours, formatUsd } from '../lib/format';

type Priority = 'low' | 'normal' | 'high';

/** Submit a job: live cost estimate and the explain verdict (rules, quotas, approval) before submitting. */
export default function SubmitJob() {
  const { api, me, can } = useConsole();
  const hardware = useData(() => unwrap(api.GET('/v1/hardware')), [api]);
  const templates = useData(() => (can('config.view') ? unwrap(api.GET('/v1/templates')) : Promise.resolve({ items: [] as Schemas['JobTemplate'][] })), [api]);
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('');
  const [image, setImage] = useState('');
  const [command, setCommand] = useState('');
  const [hardwareType, setHardwareType] = useState('');
  const [runtime, setRuntime] = useState('60');
  const [priority, setPriority] = useState<Priority>('normal');
  const [teamId, setTeamId] = useState(me.teamIds[0] ?? '');
  const [error, setError] = useState<ShownError | undefined>();
  const [explanation, setExplanation] = useState<Schemas['Explanation'] | undefined>();
  const [submitting, setSubmitting] = useState(false);
  // One key per form: a double click or a retry after a network error never submits twice.
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const argv = splitCommand(command);
  const body = useMemo(() => {
    const spec: Record<string, unknown> = { name, maxRuntimeMinutes: Number(runtime), priority };
    if (template) spec.template = template;
    if (image) spec.image = image;
    if (argv.words.length > 0) spec.command = argv.words;
    if (hardwareType) spec.hardwareType = hardwareType;
    if (teamId) spec.teamId = teamId;
    return spec as unknown as Schemas['JobSubmission'];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name, template, image, command, hardwareType, runtime, priority, teamId]);

  const selected = hardware.data?.items.find((type) => type.id === hardwareType);
  const estimate = selected ? estimateCost(Number(runtime), selected.pricePerHourUsd) : undefined;

  // Ask the API what a submission would do, a moment after the form stops changing.
  useEffect(() => {
    if (!name || (!template && (!image || !hardwareType))) {
      setExplanation(undefined);
      return;
    }
    const timer = setTimeout(() => {
      // The explain schema is published with defaults applied (every field present); the API fills them the same way.
      unwrap(api.POST('/v1/jobs/explain', { body: body as never }))
        .then(setExplanation)
        .catch(() => setExplanation(undefined));
    }, 400);
    return () => clearTimeout(timer);
  }, [api, body, name, template, image, hardwareType]);

  const submit = async (): Promise<void> => {
    if (argv.error) {
      setError({ code: 'validation_failed', message: argv.error, fields: { command: argv.error } });
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      const job = await unwrap(api.POST('/v1/jobs', { body, params: { header: { 'idempotency-key': idempotencyKey } } }));
      navigate(`/jobs/${job.id}`);
    } catch (reason) {
      setError(isShownError(reason) ? reason : undefined);
    } finally {
      setSubmitting(false);
    }
  };

  const option = (value: string, label?: string) => ({ value, label: label ?? value });
  return (
    <form onSubmit={(event) => (event.preventDefault(), void submit())}>
      <Form
        header={<Header variant="h1" description="Quartermaster checks your permissions, quotas and approval rules before the job is queued">Submit a job</Header>}
        errorText={error && Object.keys(error.fields).length === 0 ? error.message : undefined}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button formAction="none" variant="link" onClick={() => navigate('/')}>
              Cancel
            </Button>
            <Button variant="primary" loading={submitting}>
              Submit
            </Button>
          </SpaceBetween>
        }
      >
        <SpaceBetween size="l">
          <ErrorAlert error={hardware.error} header="The hardware catalog could not be loaded" />
          <Container header={<Header variant="h2">Job</Header>}>
            <ColumnLayout columns={2}>
              <FormField label="Name" description="Lower-case letters, digits and dashes" errorText={fieldError(error, 'name')}>
                <Input value={name} onChange={({ detail }) => setName(detail.value)} placeholder="train-resnet" />
              </FormField>
              <FormField label="Template" description="Optional: start from a saved job template" errorText={fieldError(error, 'template')}>
                <Select
                  selectedOption={template ? option(template) : option('', 'No template')}
                  onChange={({ detail }) => setTemplate(detail.selectedOption.value ?? '')}
                  options={[option('', 'No template'), ...(templates.data?.items ?? []).map((entry) => option(entry.name, `${entry.name}${entry.description ? ` — ${entry.description}` : ''}`))]}
                />
              </FormField>
              <FormField label="Image" errorText={fieldError(error, 'image')}>
                <Input value={image} onChange={({ detail }) => setImage(detail.value)} placeholder="public.ecr.aws/docker/library/python:3.12" />
              </FormField>
              <FormField label="Command" description="As you would type it in a shell; quotes group words" errorText={argv.error ?? fieldError(error, 'command')}>
                <Input value={command} onChange={({ detail }) => setCommand(detail.value)} placeholder="python train.py --epochs 3" />
              </FormField>
            </ColumnLayout>
          </Container>
          <Container header={<Header variant="h2">Resources</Header>}>
            <ColumnLayout columns={2}>
              <FormField label="Hardware" errorText={fieldError(error, 'hardwareType')}>
                <Select
                  placeholder="Choose hardware"
                  statusType={hardware.loading ? 'loading' : 'finished'}
                  selectedOption={selected ? option(selected.id, `${selected.id} — ${selected.gpuCount}× ${selected.gpuModel}, ${formatUsd(selected.pricePerHourUsd)}/h`) : null}
                  onChange={({ detail }) => setHardwareType(detail.selectedOption.value ?? '')}
                  options={(hardware.data?.items ?? []).map((type) => option(type.id, `${type.id} — ${type.gpuCount}× ${type.gpuModel}, ${formatUsd(type.pricePerHourUsd)}/h`))}
                />
              </FormField>
              <FormField label="Max runtime (minutes)" description="The job is stopped after this; it bounds the cost" errorText={fieldError(error, 'maxRuntimeMinutes')}>
                <Input type="number" value={runtime} onChange={({ detail }) => setRuntime(detail.value)} />
              </FormField>
              <FormField label="Team to charge" errorText={fieldError(error, 'teamId')}>
                <Select
                  selectedOption={teamId ? option(teamId) : option('', 'No team')}
                  onChange={({ detail }) => setTeamId(detail.selectedOption.value ?? '')}
                  options={[option('', 'No team'), ...me.teamIds.map((id) => option(id))]}
                />
              </FormField>
              <FormField label="Priority" errorText={fieldError(error, 'priority')}>
                <Select
                  selectedOption={option(priority)}
                  onChange={({ detail }) => setPriority((detail.selectedOption.value ?? 'normal') as Priority)}
                  options={[option('low'), option('normal'), ...(can('job.priority.high') ? [option('high')] : [])]}
                />
              </FormField>
            </ColumnLayout>
          </Container>
          <Container header={<Header variant="h2">Before you submit</Header>}>
            <SpaceBetween size="s">
              <Box>
                <Box variant="awsui-key-label">Cost estimate (max runtime × price)</Box>
                <Box variant="h2" data-testid="cost-estimate">
                  {estimate === undefined ? '–' : formatUsd(estimate)}
                </Box>
              </Box>
              <Verdict explanation={explanation} />
            </SpaceBetween>
          </Container>
        </SpaceBetween>
      </Form>
    </form>
  );
}

function Verdict({ explanation }: { explanation: Schemas['Explanation'] | undefined }) {
  if (!explanation) return <Box color="text-status-inactive">Fill in name, image and hardware to see what would happen.</Box>;
  const type = explanation.verdict === 'admit' ? 'success' : explanation.verdict === 'queue' ? 'info' : 'error';
  const headline = { admit: 'Would start now', queue: 'Would wait in the queue', deny: 'Would be refused' }[explanation.verdict];
  const blocking = explanation.limits.filter((limit) => !limit.fits);
  return (
    <div data-testid="explain-verdict">
      <Alert type={type} header={headline}>
        <SpaceBetween size="xs">
          {explanation.reasons.map((reason) => (
            <div key={reason}>{reason}</div>
          ))}
          {explanation.estimate && <div>Uses {formatGpuHours(explanation.estimate.gpuHours)} at most.</div>}
          {explanation.approval.required && <StatusIndicator type="warning">Needs approval: {explanation.approval.note}</StatusIndicator>}
          {blocking.map((limit) => (
            <StatusIndicator key={limit.counter} type={limit.action === 'block' ? 'error' : 'warning'}>
              {limit.name}: {limit.used} used of {limit.limit} ({limit.after} after this job)
            </StatusIndicator>
          ))}
        </SpaceBetween>
      </Alert>
    </div>
  );
}
