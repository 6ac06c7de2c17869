import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Spinner from '@cloudscape-design/components/spinner';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from '../api/client';
import { completeOidcSignIn, type Session } from '../auth/session';
import { loadConfig, type ConsoleConfig } from '../config';
import { SignIn } from './SignIn';

// The signed-in console (layout, navigation, pages) loads after sign-in: the first load is the sign-in page only.
const Shell = lazy(() => import('./Shell').then((module) => ({ default: module.Shell })));

type Boot = { phase: 'loading' } | { phase: 'failed'; message: string } | { phase: 'ready'; config: ConsoleConfig };

/** Reads config.json, finishes a sign-in redirect if this load is one, then shows sign-in or the console. */
export function Root() {
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  const [session, setSession] = useState<Session | undefined>();

  useEffect(() => {
    void (async () => {
      try {
        const config = await loadConfig();
        const returned = await completeOidcSignIn(config);
        if (returned) setSession(returned);
        setBoot({ phase: 'ready', config });
      } catch (error) {
        setBoot({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    })();
  }, []);

  // Renew shortly before expiry; when renewal is impossible the user signs in again.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => void session.renew().then(setSession), Math.max(5_000, session.expiresAt - Date.now() - 60_000));
    return () => clearTimeout(timer);
  }, [session]);

  const signOut = useCallback(() => {
    void session?.signOut();
    setSession(undefined);
  }, [session]);

  const api = useMemo(
    () => (boot.phase === 'ready' && session ? createApiClient(boot.config.apiUrl, () => session.accessToken, () => setSession(undefined)) : undefined),
    [boot, session],
  );

  if (boot.phase === 'loading') {
    return (
      <Box padding="xxl" textAlign="center">
        <Spinner size="large" /> Loading Quartermaster…
      </Box>
    );
  }
  if (boot.phase === 'failed') {
    return (
      <Box padding="xxl">
        <Alert type="error" header="The console could not start">
          {boot.message}
        </Alert>
      </Box>
    );
  }
  if (!session || !api) return <SignIn config={boot.config} onSignedIn={setSession} />;
  return (
    <Suspense
      fallback={
        <Box padding="xxl" textAlign="center">
          <Spinner size="large" />
        </Box>
      }
    >
      <Shell config={boot.config} api={api} onSignOut={signOut} />
    </Suspense>
  );
}
