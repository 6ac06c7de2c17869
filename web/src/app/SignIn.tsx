import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { passwordSignIn, startOidcSignIn, type Session } from '../auth/session';
import type { ConsoleConfig } from '../config';

/** Every identity provider of config.json: OIDC ones redirect (code + PKCE), LDAP ones show a form. */
export function SignIn({ config, onSignedIn }: { config: ConsoleConfig; onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const ldap = config.providers.find((provider) => provider.type === 'ldap');

  return (
    <Box padding={{ vertical: 'xxxl', horizontal: 'l' }}>
      <div style={{ maxWidth: 480, margin: '0 auto' }}>
        <Container header={<Header variant="h1" description="Share GPU capacity safely">Sign in to Quartermaster</Header>}>
          <SpaceBetween size="l">
            {error && <Alert type="error">{error}</Alert>}
            {config.providers.length === 0 && <Alert type="warning">No identity provider is configured for this console (config.json lists none).</Alert>}
            {config.providers
              .filter((provider) => provider.type === 'oidc')
              .map((provider) => (
                <Button
                  key={provider.id}
                  variant="primary"
                  fullWidth
                  loading={busy}
                  onClick={() => {
                    setBusy(true);
                    startOidcSignIn(provider).catch((reason: unknown) => {
                      setBusy(false);
                      setError(`${provider.label} could not be reached: ${reason instanceof Error ? reason.message : String(reason)}`);
                    });
                  }}
                >
                  Sign in with {provider.label}
                </Button>
              ))}
            {ldap && (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  setBusy(true);
                  setError(undefined);
                  passwordSignIn(config, ldap.id, username, password)
                    .then(onSignedIn)
                    .catch((reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)))
                    .finally(() => setBusy(false));
                }}
              >
                <Form actions={<Button formAction="submit" loading={busy}>Sign in with {ldap.label}</Button>}>
                  <SpaceBetween size="s">
                    <FormField label="Username">
                      <Input value={username} onChange={({ detail }) => setUsername(detail.value)} autoComplete="username" />
                    </FormField>
                    <FormField label="Password">
                      <Input type="password" value={password} onChange={({ detail }) => setPassword(detail.value)} autoComplete="current-password" />
                    </FormField>
                  </SpaceBetween>
                </Form>
              </form>
            )}
          </SpaceBetween>
        </Container>
      </div>
    </Box>
  );
}
