import { useCallback, useEffect, useRef, useState } from 'react';
import { isShownError, toShownError, type ShownError } from '../api/errors';

export interface Loaded<T> {
  data: T | undefined;
  error: ShownError | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Loads once on mount (and when `deps` change), optionally polling every `refreshMs` while `keepPolling`
 * says so (a running job's logs). Stale answers from an earlier load never overwrite a newer one.
 */
export function useData<T>(load: () => Promise<T>, deps: readonly unknown[], options: { refreshMs?: number; keepPolling?: (data: T) => boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ShownError; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const [tick, setTick] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  useEffect(() => {
    const mine = ++generation.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchOnce = async (): Promise<void> => {
      try {
        const data = await run();
        if (mine !== generation.current) return;
        setState({ data, loading: false });
        if (options.refreshMs && (!options.keepPolling || options.keepPolling(data))) timer = setTimeout(() => void fetchOnce(), options.refreshMs);
      } catch (error) {
        if (mine !== generation.current) return;
        setState((previous) => ({ ...previous, error: isShownError(error) ? error : toShownError(undefined), loading: false }));
      }
    };
    setState((previous) => ({ ...previous, loading: true }));
    void fetchOnce();
    return () => {
      generation.current++;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setTick((value) => value + 1) };
}
