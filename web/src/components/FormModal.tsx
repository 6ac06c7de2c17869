import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { fieldError, isShownError, type ShownError } from '../api/errors';
import { buildBody, type FieldSpec, type FormValues } from '../lib/form-body';

/**
 * A create/edit dialog described as data: the fields, and what to do with the body they make. API errors
 * land at the field they name (`limit`, `spec.image`), the rest above the buttons.
 */
export function FormModal({
  title,
  fields,
  initial = {},
  submitLabel = 'Save',
  onSubmit,
  onClose,
}: {
  title: string;
  fields: readonly FieldSpec[];
  initial?: FormValues;
  submitLabel?: string;
  onSubmit: (body: Record<string, unknown>) => Promise<unknown>;
  onClose: () => void;
}) {
  const [values, setValues] = useState<FormValues>(() => ({ ...Object.fromEntries(fields.map((field) => [field.key, field.default ?? (field.type === 'checkbox' ? false : '')])), ...initial }));
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (key: string, value: string | boolean): void => setValues((current) => ({ ...current, [key]: value }));

  const submit = async (): Promise<void> => {
    const built = buildBody(fields, values);
    if (built.error) {
      setError(built.error);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(built.body);
      onClose();
    } catch (reason) {
      setError(isShownError(reason) ? reason : { code: 'internal', message: String(reason), fields: {} });
    } finally {
      setBusy(false);
    }
  };

  const shownAtFields = new Set(fields.flatMap((field) => (fieldError(error, field.key) ? [field.key] : [])));
  return (
    <Modal visible header={title} onDismiss={onClose} size="medium">
      <form onSubmit={(event) => (event.preventDefault(), void submit())}>
        <Form
          errorText={error && shownAtFields.size === 0 ? error.message : undefined}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy}>
                {submitLabel}
              </Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            {fields.map((field) => {
              const value = values[field.key];
              return (
                <FormField key={field.key} label={field.label} description={field.description} errorText={fieldError(error, field.key)}>
                  {field.type === 'select' ? (
                    <Select
                      ariaLabel={field.label}
                      disabled={field.readOnly}
                      selectedOption={field.options?.find((option) => option.value === value) ?? null}
                      onChange={({ detail }) => set(field.key, detail.selectedOption.value ?? '')}
                      options={field.options ?? []}
                    />
                  ) : field.type === 'checkbox' ? (
                    <Checkbox checked={value === true} onChange={({ detail }) => set(field.key, detail.checked)}>
                      {field.label}
                    </Checkbox>
                  ) : field.type === 'json' || field.type === 'multiline' ? (
                    <Textarea ariaLabel={field.label} rows={8} value={String(value ?? '')} onChange={({ detail }) => set(field.key, detail.value)} />
                  ) : (
                    <Input
                      ariaLabel={field.label}
                      type={field.type === 'number' ? 'number' : field.type === 'password' ? 'password' : 'text'}
                      disabled={field.readOnly}
                      value={String(value ?? '')}
                      onChange={({ detail }) => set(field.key, detail.value)}
                    />
                  )}
                </FormField>
              );
            })}
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
