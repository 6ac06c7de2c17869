import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { BudgetBurn } from '../../components/BudgetBurn';
import { CostLimits } from '../../components/CostLimits';
import { UsageChart } from '../../components/UsageChart';
import { budgetsOf } from '../../lib/burn';
import type { FieldSpec } from '../../lib/form-body';
import { ListingTable } from '../../components/ListingTable';

const options = (values: readonly string[]) => values.map((value) => ({ value, label: value }));
const QUOTA_FIELDS: FieldSpec[] = [
  { key: 'scopeType', label: 'Scope', type: 'select', options: options(['org', 'team', 'user', 'level', 'backend']), default: 'team' },
  { key: 'scopeId', label: 'Scope id', type: 'text', optional: true, description: 'Team slug, user id, level name or backend; empty for the org' },
  { key: 'metric', label: 'Metric', type: 'select', options: options(['concurrent_jobs', 'concurrent_gpus', 'gpu_hours', 'cost_usd', 'daily_jobs']), default: 'concurrent_jobs' },
  { key: 'period', label: 'Period', type: 'select', options: [{ value: '', label: 'none (concurrency)' }, ...options(['day', 'week', 'month'])], optional: true },
  { key: 'limit', label: 'Limit', type: 'number', description: "A team, user or level quota may not exceed the org's ceiling" },
  { key: 'action', label: 'When full', type: 'select', options: options(['block', 'warn', 'notify']), default: 'block' },
  { key: 'description', label: 'Description', type: 'text', optional: true },
];

/** Quotas and budgets of the org (ceilings org → team → user), global limits, and the org's usage. */
export default function Quotas() {
  const { api, me, can } = useConsole();
  const quotas = useData(() => unwrap(api.GET('/v1/quotas')), [api]);
  const limits = useData(() => unwrap(api.GET('/v1/settings/limits')), [api]);
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'edit'; quota: Schemas['Quota'] } | { kind: 'limits' } | undefined>();
  const admin = can('admin.config');
  // A burn chart for the org and for each team with a GPU-hours or cost budget.
  const budgetQuotas = (quotas.data?.items ?? []).filter((quota) => budgetsOf([quota]).length > 0);
  const budgetTeams = [...new Set(budgetQuotas.filter((quota) => quota.scopeType === 'team').map((quota) => quota.scopeId))];

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={quotas.error} header="Quotas could not be loaded" />
      <ListingTable<Schemas['Quota']>
        title="Quotas and budgets"
        counter={quotas.data ? `(${quotas.data.items.length})` : undefined}
        actions={admin && <Button onClick={() => setDialog({ kind: 'create' })}>Create quota</Button>}
        listing={quotas}
        trackBy="id"
        columnDefinitions={[
          { id: 'scope', header: 'Scope', cell: (quota) => `${quota.scopeType} ${quota.scopeId}` },
          { id: 'metric', header: 'Metric', cell: (quota) => `${quota.metric}${quota.period ? ` / ${quota.period}` : ''}` },
          { id: 'limit', header: 'Limit', cell: (quota) => quota.limit },
          { id: 'action', header: 'When full', cell: (quota) => quota.action },
          { id: 'description', header: 'Description', cell: (quota) => quota.description || '–' },
          {
            id: 'actions',
            header: '',
            cell: (quota) =>
              admin && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button variant="inline-link" onClick={() => setDialog({ kind: 'edit', quota })}>
                    Edit
                  </Button>
                  <Button
                    variant="inline-link"
                    onClick={() => void unwrap(api.DELETE('/v1/quotas/{id}', { params: { path: { id: quota.id } } })).then(quotas.reload)}
                  >
                    Delete
                  </Button>
                </SpaceBetween>
              ),
          },
        ]}
        empty={<Box textAlign="center">No quotas: only the global concurrency limits apply. Start with a team's concurrent GPUs.</Box>}
      />
      <Container
        header={
          <Header
            variant="h2"
            description="Deployment-wide: jobs running at once, for everyone and for each user"
            actions={me.platformAdmin && limits.data && <Button onClick={() => setDialog({ kind: 'limits' })}>Edit limits</Button>}
          >
            Global concurrency limits
          </Header>
        }
      >
        <ColumnLayout columns={2} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Jobs at once, whole deployment (max_concurrent)</Box>
            <div>{limits.data?.maxConcurrent ?? '–'}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Jobs at once per user (user_max_concurrent)</Box>
            <div>{limits.data?.userMaxConcurrent ?? '–'}</div>
          </div>
        </ColumnLayout>
      </Container>
      <UsageChart scopeType="org" scopeId={me.orgId} title={`Usage of ${me.orgId}`} />
      <BudgetBurn scopeType="org" scopeId={me.orgId} title={`Budget burn of ${me.orgId}`} budgets={budgetsOf(budgetQuotas.filter((quota) => quota.scopeType === 'org'))} />
      {budgetTeams.map((teamId) => (
        <BudgetBurn key={teamId} scopeType="team" scopeId={teamId} title={`Budget burn of team ${teamId}`} budgets={budgetsOf(budgetQuotas.filter((quota) => quota.scopeType === 'team' && quota.scopeId === teamId))} />
      ))}
      <CostLimits />
      {dialog?.kind === 'create' && (
        <FormModal
          title="Create a quota"
          fields={QUOTA_FIELDS}
          submitLabel="Create"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/quotas', { body: body as Schemas['QuotaInput'] }));
            quotas.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'limits' && limits.data && (
        <FormModal
          title="Global concurrency limits"
          fields={[
            { key: 'maxConcurrent', label: 'Jobs at once, whole deployment', type: 'number' },
            { key: 'userMaxConcurrent', label: 'Jobs at once per user', type: 'number' },
          ]}
          initial={{ maxConcurrent: String(limits.data.maxConcurrent), userMaxConcurrent: String(limits.data.userMaxConcurrent) }}
          onSubmit={async (body) => {
            await unwrap(api.PUT('/v1/settings/limits', { body: body as Schemas['ConcurrencyLimits'] }));
            limits.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <FormModal
          title={`Edit ${dialog.quota.metric} of ${dialog.quota.scopeType} ${dialog.quota.scopeId}`}
          fields={QUOTA_FIELDS.filter((field) => ['limit', 'action', 'description'].includes(field.key))}
          initial={{ limit: String(dialog.quota.limit), action: dialog.quota.action, description: dialog.quota.description ?? '' }}
          onSubmit={async (body) => {
            await unwrap(api.PATCH('/v1/quotas/{id}', { params: { path: { id: dialog.quota.id } }, body: body as Schemas['QuotaUpdate'] }));
            quotas.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </SpaceBetween>
  );
}
