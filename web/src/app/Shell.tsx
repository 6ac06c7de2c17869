import Alert from '@cloudscape-design/components/alert';
import AppLayout from '@cloudscape-design/components/app-layout';
import Box from '@cloudscape-design/components/box';
import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import Spinner from '@cloudscape-design/components/spinner';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { Suspense, useCallback, useMemo, useState } from 'react';
import type { ApiClient } from '../api/client';
import { unwrap } from '../api/errors';
import type { ConsoleConfig } from '../config';
import { pageFor, visiblePages } from '../lib/navigation';
import { Console, type ConsoleContext } from './context';
import { PageContent } from './pages';
import { followLink, navigate, usePath } from './router';
import { useData } from './use-data';

const wideScreen = (): boolean => window.matchMedia('(min-width: 1024px)').matches;

/** The signed-in console: who am I (`GET /v1/me`) decides which pages exist; pages load on demand. */
export function Shell({ config, api, onSignOut }: { config: ConsoleConfig; api: ApiClient; onSignOut: () => void }) {
  const path = usePath();
  const me = useData(() => unwrap(api.GET('/v1/me')), [api]);
  const [flash, setFlash] = useState<FlashbarProps.MessageDefinition[]>([]);
  // Controlled: open beside the page on a wide screen (moving between pages never folds it away); on a tablet
  // it starts folded and folds again after a link is followed, so the page gets the whole width.
  const [navigationOpen, setNavigationOpen] = useState(() => wideScreen());

  const notify = useCallback<ConsoleContext['notify']>((message) => {
    const id = `${Date.now()}-${Math.random()}`;
    setFlash((current) => [...current.slice(-2), { ...message, id, dismissible: true, dismissLabel: 'Dismiss message', onDismiss: () => setFlash((all) => all.filter((entry) => entry.id !== id)) }]);
  }, []);

  const context = useMemo<ConsoleContext | undefined>(
    () => (me.data ? { config, api, me: me.data, can: (permission) => (me.data?.permissions as readonly string[] | undefined)?.includes(permission) ?? false, notify } : undefined),
    [config, api, me.data, notify],
  );

  if (me.error) {
    return (
      <Box padding="xxl">
        <Alert type="error" header="Quartermaster did not accept this sign-in" action={<a href="/" onClick={onSignOut}>Sign in again</a>}>
          {me.error.message}
        </Alert>
      </Box>
    );
  }
  if (!context) {
    return (
      <Box padding="xxl" textAlign="center">
        <Spinner size="large" />
      </Box>
    );
  }

  const pages = visiblePages(context.me);
  const items: SideNavigationProps.Item[] = (['Work', 'Team', 'Administration'] as const).flatMap((section) => {
    const links = pages.filter((page) => page.section === section).map((page) => ({ type: 'link' as const, text: page.label, href: page.path }));
    return links.length === 0 ? [] : [{ type: 'section' as const, text: section, items: links, defaultExpanded: true }];
  });
  const current = pageFor(path);

  return (
    <Console.Provider value={context}>
      <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ href: '/', title: `Quartermaster${config.stage ? ` · ${config.stage}` : ''}`, onFollow: followLink }}
          utilities={[
            {
              type: 'menu-dropdown',
              text: context.me.displayName,
              description: `${context.me.email} · ${context.me.level}${context.me.platformAdmin ? ' · platform admin' : ''} · org ${context.me.orgId}`,
              iconName: 'user-profile',
              items: [{ id: 'signout', text: 'Sign out' }],
              onItemClick: ({ detail }) => {
                if (detail.id === 'signout') onSignOut();
              },
            },
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        navigationOpen={navigationOpen}
        onNavigationChange={({ detail }) => setNavigationOpen(detail.open)}
        navigation={
          <SideNavigation
            activeHref={current?.path ?? path}
            items={items}
            onFollow={(event) => {
              followLink(event);
              if (!wideScreen()) setNavigationOpen(false);
            }}
            header={{ href: '/', text: 'Quartermaster' }}
          />
        }
        notifications={<Flashbar items={flash} />}
        toolsHide
        ariaLabels={{ navigation: 'Navigation', navigationClose: 'Close navigation', navigationToggle: 'Open navigation', notifications: 'Notifications' }}
        content={
          <Suspense
            fallback={
              <Box textAlign="center" padding="xl">
                <Spinner />
              </Box>
            }
          >
            <PageContent path={path} allowed={current === undefined || pages.includes(current)} onHome={() => navigate('/')} />
          </Suspense>
        }
      />
    </Console.Provider>
  );
}
