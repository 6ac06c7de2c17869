import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Spinner from '@cloudscape-design/components/spinner';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from '../api/client';
import { completeOidcSignIn, type Session } from '../auth/session';
import { loadConfig, type ConsoleConfig } from '../config';
import { renewalDelay, retryDelay } from '../lib/renewal';
import { SignIn } from './SignIn';

// The signed-in console (layout, navigation, pages) loads after sign-in: the first load is the sign-in page only.
const Shell = lazy(() => import('./Shell').then((module) => ({ default: module.Shell })));

type Boot = { phase: 'loading' } | { phase: 'failed'; message: string } | { phase: 'ready'; config: ConsoleConfig };

/** Reads config.json, finishes a sign-in redirect if this load is one, then shows sign-in or the console. */
export function Root() {
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  const [session, setSessionState] = useState<Session | undefined>();
  // The API client reads the token from here at each request: a renewal swaps the token without rebuilding the
  // client, so pages keep their data and nothing reloads.
  const [current] = useState<{ session?: Session }>(() => ({}));
  const setSession = useCallback(
    (next: Session | undefined) => {
      current.session = next;
      setSessionState(next);
    },
    [current],
  );

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
  }, [setSession]);

  // Renew before expiry (lib/renewal.ts); when the provider refuses, the user signs in again; when it cannot be
  // reached, try again while the token is still good.
  useEffect(() => {
    if (!session) return;
    let timer: ReturnType<typeof setTimeout>;
    let superseded = false; // signed out (or renewed otherwise) meanwhile: a late answer must not sign back in
    const attempt = () => {
      session.renew().then(
        (renewed) => {
          if (!superseded) setSession(renewed);
        },
        () => {
          const retry = retryDelay(session.expiresAt);
          if (superseded) return;
          if (retry === undefined) setSession(undefined);
          else timer = setTimeout(attempt, retry);
        },
      );
    };
    timer = setTimeout(attempt, renewalDelay(session.issuedAt, session.expiresAt));
    return () => {
      superseded = true;
      clearTimeout(timer);
    };
  }, [session, setSession]);

  const signOut = useCallback(() => {
    void current.session?.signOut();
    setSession(undefined);
  }, [current, setSession]);

  const signedIn = session !== undefined;
  const api = useMemo(
    () =>
      boot.phase === 'ready' && signedIn
        ? createApiClient(boot.config.apiUrl, () => current.session?.accessToken ?? '', () => setSession(undefined))
        : undefined,
    [boot, signedIn, current, setSession],
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
