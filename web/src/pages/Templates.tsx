import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../components/FormModal';
import { ListingTable } from '../components/ListingTable';

/** Job templates: named, reusable job specs that the submit form starts from. */
export default function Templates() {
  const { api, me, can } = useConsole();
  const templates = useData(() => unwrap(api.GET('/v1/templates')), [api]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Schemas['JobTemplate'] | undefined>();
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={templates.error} header="Templates could not be loaded" />
      <ListingTable<Schemas['JobTemplate']>
        title="Job templates"
        actions={can('config.create') && <Button onClick={() => setCreating(true)}>Create template</Button>}
        listing={templates}
        trackBy="name"
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (template) => template.name },
          { id: 'description', header: 'Description', cell: (template) => template.description || '–' },
          { id: 'image', header: 'Image', cell: (template) => template.spec.image ?? '–' },
          { id: 'hardware', header: 'Hardware', cell: (template) => template.spec.hardwareType ?? '–' },
          { id: 'team', header: 'Team', cell: (template) => template.teamId ?? '–' },
          {
            id: 'actions',
            header: '',
            cell: (template) =>
              (template.ownerId === me.id ? can('config.edit.own') : can('config.edit.all')) && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button variant="inline-link" ariaLabel={`Edit ${template.name}`} onClick={() => setEditing(template)}>
                    Edit
                  </Button>
                  <Button
                    variant="inline-link"
                    ariaLabel={`Delete ${template.name}`}
                    onClick={() => void unwrap(api.DELETE('/v1/templates/{name}', { params: { path: { name: template.name } } })).then(templates.reload)}
                  >
                    Delete
                  </Button>
                </SpaceBetween>
              ),
          },
        ]}
        empty={<Box textAlign="center">No templates yet. Save a job spec your team runs often.</Box>}
      />
      {creating && (
        <FormModal
          title="Create a job template"
          fields={[
            { key: 'name', label: 'Name', type: 'text' },
            { key: 'description', label: 'Description', type: 'text', optional: true },
            { key: 'spec.image', label: 'Image', type: 'text' },
            { key: 'spec.command', label: 'Command', type: 'list', optional: true, description: 'Comma-separated words, e.g. python, train.py' },
            { key: 'spec.hardwareType', label: 'Hardware type', type: 'text', optional: true },
            { key: 'spec.maxRuntimeMinutes', label: 'Max runtime (minutes)', type: 'number', optional: true },
          ]}
          submitLabel="Create"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/templates', { body: body as Schemas['CreateTemplate'] }));
            templates.reload();
          }}
          onClose={() => setCreating(false)}
        />
      )}
      {editing && (
        <FormModal
          title={`Edit template ${editing.name}`}
          fields={[{ key: 'template', label: 'Template (JSON)', type: 'json', description: 'description, teamId and the job spec (image, command, hardwareType, maxRuntimeMinutes, env, …)' }]}
          initial={{ template: JSON.stringify({ ...(editing.description ? { description: editing.description } : {}), ...(editing.teamId ? { teamId: editing.teamId } : {}), spec: editing.spec }, null, 2) }}
          onSubmit={async (body) => {
            await unwrap(api.PUT('/v1/templates/{name}', { params: { path: { name: editing.name } }, body: body.template as Schemas['ReplaceTemplate'] }));
            templates.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </SpaceBetween>
  );
}
