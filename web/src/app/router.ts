import { useEffect, useState } from 'react';

/**
 * A tiny history router: the console has a dozen flat pages, which does not justify a routing library in
 * the first-load bundle. CloudFront (and the local stack) serve index.html for every path.
 */
const listeners = new Set<() => void>();

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = (): void => setPath(window.location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** For Cloudscape links: follow in-app links without a page load, keep modifier-clicks (new tab) native. */
export function followLink(event: CustomEvent<{ href?: string; external?: boolean }> | { preventDefault(): void; detail: { href?: string; external?: boolean } }): void {
  const { href, external } = event.detail;
  if (!href || external || !href.startsWith('/')) return;
  event.preventDefault();
  navigate(href);
}
