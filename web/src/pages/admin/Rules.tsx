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
import type { FieldSpec } from '../../lib/form-body';
import { ListingTable } from '../../components/ListingTable';

const options = (values: readonly string[]) => values.map((value) => ({ value, label: value }));
type Rule = Schemas['ResourceRule'];

const RULE_FIELDS: FieldSpec[] = [
  {
    key: 'type',
    label: 'Type',
    type: 'select',
    options: options(['config', 'hardware', 'provider', 'cluster', 'namespace']),
    default: 'hardware',
    description: 'config = job template, provider = backend, cluster = cluster id, namespace = <cluster>/<namespace>',
  },
  { key: 'pattern', label: 'Pattern', type: 'text', description: '`*` any run of characters, `?` one character' },
  { key: 'action', label: 'Action', type: 'select', options: options(['allow', 'deny']), default: 'allow' },
  { key: 'level', label: 'Level', type: 'text', optional: true, description: 'Empty: any level' },
  { key: 'teamId', label: 'Team', type: 'text', optional: true, description: 'Empty: any team' },
  { key: 'description', label: 'Description', type: 'text', optional: true },
];

/** Resource rules: which templates, hardware and backends a level or team may use (most permissive wins). */
export default function Rules() {
  const { api } = useConsole();
  const rules = useData(() => unwrap(api.GET('/v1/resource-rules')), [api]);
  const [dialog, setDialog] = useState<{ rule?: Rule } | undefined>();
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={rules.error} header="Rules could not be loaded" />
      <ListingTable<Rule>
        title="Resource rules"
        description="If any matching rule allows, the request is allowed; if only deny rules match, it is denied; no rule of a type: allowed"
        actions={<Button onClick={() => setDialog({})}>Create rule</Button>}
        listing={rules}
        trackBy="id"
        columnDefinitions={[
          { id: 'type', header: 'Type', cell: (rule) => rule.type },
          { id: 'pattern', header: 'Pattern', cell: (rule) => <code>{rule.pattern}</code> },
          { id: 'action', header: 'Action', cell: (rule) => rule.action },
          { id: 'who', header: 'Applies to', cell: (rule) => [rule.level && `level ${rule.level}`, rule.teamId && `team ${rule.teamId}`].filter(Boolean).join(', ') || 'everyone' },
          { id: 'description', header: 'Description', cell: (rule) => rule.description || '–' },
          {
            id: 'actions',
            header: '',
            cell: (rule) => (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="inline-link" ariaLabel={`Edit rule ${rule.type} ${rule.pattern}`} onClick={() => setDialog({ rule })}>
                  Edit
                </Button>
                <Button
                  variant="inline-link"
                  ariaLabel={`Delete rule ${rule.type} ${rule.pattern}`}
                  onClick={() => void unwrap(api.DELETE('/v1/resource-rules/{ruleId}', { params: { path: { ruleId: rule.id } } })).then(rules.reload)}
                >
                  Delete
                </Button>
              </SpaceBetween>
            ),
          },
        ]}
        empty={<Box textAlign="center">No rules: everyone may use every template, hardware type and backend.</Box>}
      />
      {dialog && (
        <FormModal
          title={dialog.rule ? 'Edit the resource rule' : 'Create a resource rule'}
          fields={RULE_FIELDS}
          initial={
            dialog.rule
              ? { type: dialog.rule.type, pattern: dialog.rule.pattern, action: dialog.rule.action, level: dialog.rule.level ?? '', teamId: dialog.rule.teamId ?? '', description: dialog.rule.description ?? '' }
              : {}
          }
          submitLabel={dialog.rule ? 'Save' : 'Create'}
          onSubmit={async (body) => {
            const { rule } = dialog;
            if (rule) await unwrap(api.PUT('/v1/resource-rules/{ruleId}', { params: { path: { ruleId: rule.id } }, body: body as Schemas['ResourceRuleInput'] }));
            else await unwrap(api.POST('/v1/resource-rules', { body: body as Schemas['ResourceRuleInput'] }));
            rules.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </SpaceBetween>
  );
}
