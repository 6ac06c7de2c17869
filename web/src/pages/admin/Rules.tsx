import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';

const options = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** Resource rules: which templates, hardware and backends a level or team may use (most permissive wins). */
export default function Rules() {
  const { api } = useConsole();
  const rules = useData(() => unwrap(api.GET('/v1/resource-rules')), [api]);
  const [creating, setCreating] = useState(false);
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={rules.error} header="Rules could not be loaded" />
      <Table<Schemas['ResourceRule']>
        header={
          <Header
            variant="h1"
            description="If any matching rule allows, the request is allowed; if only deny rules match, it is denied; no rule of a type: allowed"
            actions={<Button onClick={() => setCreating(true)}>Create rule</Button>}
          >
            Resource rules
          </Header>
        }
        loading={rules.loading && !rules.data}
        items={rules.data?.items ?? []}
        trackBy="id"
        columnDefinitions={[
          { id: 'type', header: 'Type', cell: (rule) => rule.type },
          { id: 'pattern', header: 'Pattern', cell: (rule) => <code>{rule.pattern}</code> },
          { id: 'action', header: 'Action', cell: (rule) => rule.action },
          { id: 'who', header: 'Applies to', cell: (rule) => [rule.level && `level ${rule.level}`, rule.teamId && `team ${rule.teamId}`].filter(Boolean).join(', ') || 'everyone' },
          { id: 'description', header: 'Description', cell: (rule) => rule.description || '–' },
          {
            id: 'delete',
            header: '',
            cell: (rule) => (
              <Button variant="inline-link" onClick={() => void unwrap(api.DELETE('/v1/resource-rules/{ruleId}', { params: { path: { ruleId: rule.id } } })).then(rules.reload)}>
                Delete
              </Button>
            ),
          },
        ]}
        empty={<Box textAlign="center">No rules: everyone may use every template, hardware type and backend.</Box>}
      />
      {creating && (
        <FormModal
          title="Create a resource rule"
          fields={[
            { key: 'type', label: 'Type', type: 'select', options: options(['config', 'hardware', 'provider']), default: 'hardware', description: 'config = job template, provider = backend' },
            { key: 'pattern', label: 'Pattern', type: 'text', description: '`*` any run of characters, `?` one character' },
            { key: 'action', label: 'Action', type: 'select', options: options(['allow', 'deny']), default: 'allow' },
            { key: 'level', label: 'Level', type: 'text', optional: true, description: 'Empty: any level' },
            { key: 'teamId', label: 'Team', type: 'text', optional: true, description: 'Empty: any team' },
            { key: 'description', label: 'Description', type: 'text', optional: true },
          ]}
          submitLabel="Create"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/resource-rules', { body: body as Schemas['ResourceRuleInput'] }));
            rules.reload();
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </SpaceBetween>
  );
}
