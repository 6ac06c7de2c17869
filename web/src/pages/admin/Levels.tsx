import Badge from '@cloudscape-design/components/badge';
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
import type { FieldSpec } from '../../lib/form-body';

type Level = Schemas['Level'];

const LEVEL_FIELDS: FieldSpec[] = [
  { key: 'name', label: 'Name', type: 'text', description: 'Lower-case, e.g. intern or senior-researcher' },
  { key: 'description', label: 'Description', type: 'text', optional: true },
  { key: 'priority', label: 'Priority', type: 'number', description: 'Rank and scheduling priority, 1–100 (never above your own); 100 reaches the whole org' },
  { key: 'permissions', label: 'Permissions', type: 'list', description: 'Comma-separated, e.g. job.submit, job.view.own, config.view (never more than you hold)' },
];

/** Built-in levels and the org's custom ones (`GET/PUT/DELETE /v1/levels`): what each level may do. */
export default function Levels() {
  const { api } = useConsole();
  const levels = useData(() => unwrap(api.GET('/v1/levels')), [api]);
  const [editing, setEditing] = useState<{ level?: Level } | undefined>();
  const [error, setError] = useState<Parameters<typeof ErrorAlert>[0]['error']>();

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={levels.error ?? error} header={levels.error ? 'Levels could not be loaded' : 'The level could not be deleted'} />
      <Table<Level>
        header={
          <Header variant="h1" description="A user's level decides their permissions and priority; custom levels sit beside the built-in ones" actions={<Button onClick={() => setEditing({})}>Create level</Button>}>
            Levels
          </Header>
        }
        loading={levels.loading && !levels.data}
        items={[...(levels.data?.items ?? [])].sort((a, b) => b.priority - a.priority)}
        trackBy="name"
        wrapLines
        columnDefinitions={[
          { id: 'name', header: 'Level', cell: (level) => <SpaceBetween direction="horizontal" size="xs">{level.name}{level.builtin && <Badge>built-in</Badge>}</SpaceBetween> },
          { id: 'priority', header: 'Priority', cell: (level) => level.priority },
          { id: 'permissions', header: 'Permissions', cell: (level) => level.permissions.join(', ') },
          { id: 'description', header: 'Description', cell: (level) => level.description || '–' },
          {
            id: 'actions',
            header: '',
            cell: (level) =>
              !level.builtin && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button variant="inline-link" ariaLabel={`Edit ${level.name}`} onClick={() => setEditing({ level })}>
                    Edit
                  </Button>
                  <Button
                    variant="inline-link"
                    ariaLabel={`Delete ${level.name}`}
                    onClick={() => {
                      setError(undefined);
                      unwrap(api.DELETE('/v1/levels/{name}', { params: { path: { name: level.name } } })).then(levels.reload, setError);
                    }}
                  >
                    Delete
                  </Button>
                </SpaceBetween>
              ),
          },
        ]}
        empty={<Box textAlign="center">No levels.</Box>}
      />
      {editing && (
        <FormModal
          title={editing.level ? `Edit level ${editing.level.name}` : 'Create a level'}
          fields={LEVEL_FIELDS.map((field) => (field.key === 'name' && editing.level ? { ...field, readOnly: true } : field))}
          initial={editing.level ? { name: editing.level.name, description: editing.level.description, priority: String(editing.level.priority), permissions: editing.level.permissions.join(', ') } : {}}
          onSubmit={async ({ name, ...body }) => {
            await unwrap(api.PUT('/v1/levels/{name}', { params: { path: { name: String(name ?? editing.level?.name) } }, body: body as Schemas['PutLevel'] }));
            levels.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </SpaceBetween>
  );
}
