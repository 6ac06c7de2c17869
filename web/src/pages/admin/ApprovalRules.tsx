import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { ListingTable } from '../../components/ListingTable';

const options = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** Approval rules: evaluated at submission in priority order; the first match needs a sign-off. */
export default function ApprovalRules() {
  const { api } = useConsole();
  const rules = useData(() => unwrap(api.GET('/v1/approval-rules')), [api]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Schemas['ApprovalRule'] | undefined>();
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={rules.error} header="Approval rules could not be loaded" />
      <ListingTable<Schemas['ApprovalRule']>
        title="Approval rules"
        description="Highest priority first; the first matching rule decides who must approve"
        actions={<Button onClick={() => setCreating(true)}>Create rule</Button>}
        listing={rules}
        trackBy="id"
        columnDefinitions={[
          { id: 'priority', header: 'Priority', cell: (rule) => rule.priority },
          { id: 'name', header: 'Name', cell: (rule) => `${rule.name}${rule.scope === 'platform' ? ' (platform)' : ''}` },
          { id: 'condition', header: 'When', cell: (rule) => `${rule.condition}${rule.threshold !== undefined ? ` ${rule.threshold}` : ''}${rule.pattern ? ` ${rule.pattern}` : ''}` },
          { id: 'approver', header: 'Approver level', cell: (rule) => rule.required_approver_level },
          { id: 'exempt', header: 'Exempt', cell: (rule) => rule.exempt_levels.join(', ') || '–' },
          { id: 'enabled', header: 'Enabled', cell: (rule) => (rule.enabled ? 'yes' : 'no') },
          {
            id: 'actions',
            header: '',
            cell: (rule) => (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="inline-link" ariaLabel={`Edit ${rule.name}`} onClick={() => setEditing(rule)}>
                  Edit
                </Button>
                <Button variant="inline-link" ariaLabel={`Delete ${rule.name}`} onClick={() => void unwrap(api.DELETE('/v1/approval-rules/{ruleId}', { params: { path: { ruleId: rule.id } } })).then(rules.reload)}>
                  Delete
                </Button>
              </SpaceBetween>
            ),
          },
        ]}
        empty={<Box textAlign="center">No approval rules: admitted jobs go straight to the queue.</Box>}
      />
      {creating && (
        <FormModal
          title="Create an approval rule"
          fields={[
            { key: 'name', label: 'Name', type: 'text' },
            { key: 'condition', label: 'Condition', type: 'select', options: options(['cost_exceeds', 'hardware_type', 'daily_jobs_exceed', 'first_job', 'config_pattern', 'provider']), default: 'cost_exceeds' },
            { key: 'threshold', label: 'Threshold', type: 'number', optional: true, description: 'cost_exceeds: USD; daily_jobs_exceed: jobs per day' },
            { key: 'pattern', label: 'Pattern', type: 'text', optional: true, description: 'hardware_type, config_pattern, provider: glob' },
            { key: 'required_approver_level', label: 'Approver level', type: 'text', default: 'lead' },
            { key: 'exempt_levels', label: 'Exempt levels', type: 'list', optional: true, description: 'Comma-separated, e.g. admin' },
            { key: 'priority', label: 'Priority', type: 'number', optional: true },
          ]}
          submitLabel="Create"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/approval-rules', { body: body as Schemas['ApprovalRuleInput'] }));
            rules.reload();
          }}
          onClose={() => setCreating(false)}
        />
      )}
      {editing && (
        <FormModal
          title={`Edit ${editing.name}`}
          fields={[{ key: 'rule', label: 'Rule (JSON)', type: 'json', description: 'Every field of the rule (escalation and expiry in minutes, applies_to_*): the rule is replaced as written' }]}
          initial={{ rule: JSON.stringify(ruleInput(editing), null, 2) }}
          onSubmit={async (body) => {
            await unwrap(api.PUT('/v1/approval-rules/{ruleId}', { params: { path: { ruleId: editing.id } }, body: body.rule as Schemas['ApprovalRuleInput'] }));
            rules.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

/** What `PUT /v1/approval-rules/{ruleId}` takes: the rule without its id and bookkeeping (a replace keeps nothing else). */
const INPUT_KEYS: ReadonlyArray<keyof Schemas['ApprovalRuleInput']> = [
  'name',
  'description',
  'condition',
  'threshold',
  'pattern',
  'priority',
  'enabled',
  'required_approver_level',
  'exempt_levels',
  'applies_to_provider',
  'applies_to_level',
  'escalate_after_minutes',
  'expire_after_minutes',
  'scope',
];
function ruleInput(rule: Schemas['ApprovalRule']): Record<string, unknown> {
  return Object.fromEntries(INPUT_KEYS.flatMap((key) => (rule[key] === undefined ? [] : [[key, rule[key]]])));
}
