/** Loading what a screen shows, and saying plainly when it failed (with a way to try again). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeFailure } from './api.ts';
import { t } from './i18n.ts';

export type Loaded<T> =
  | { readonly state: 'loading'; readonly data?: T }
  | { readonly state: 'failed'; readonly error: unknown; readonly data?: T }
  | { readonly state: 'ready'; readonly data: T };

/** Runs `load` when `deps` change; `reload` runs it again. A newer run wins over a slower older one. */
export const useLoad = <T,>(load: () => Promise<T>, deps: readonly unknown[]): [Loaded<T>, () => void] => {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded((before) => ({ state: 'loading', data: before.data }));
    load().then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (error: unknown) => current && setLoaded((before) => ({ state: 'failed', error, data: before.data })),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return [loaded, reload];
};

export const Failure = ({ error, retry }: { error: unknown; retry?: () => void }) => (
  <div class="notice notice-error" role="alert">
    <p>{describeFailure(error)}</p>
    {retry && (
      <button type="button" class="button button-quiet" onClick={retry}>
        {t('retry')}
      </button>
    )}
  </div>
);

export const Loading = () => (
  <p class="loading" role="status">
    {t('loading')}
  </p>
);

/** What a screen shows while loading or after a failure; `children` once there is data. */
export const Show = <T,>({ loaded, retry, children }: { loaded: Loaded<T>; retry: () => void; children: (data: T) => preact.ComponentChildren }) => {
  if (loaded.state === 'failed' && loaded.data === undefined) return <Failure error={loaded.error} retry={retry} />;
  if (loaded.data === undefined) return <Loading />;
  return (
    <>
      {loaded.state === 'failed' && <Failure error={loaded.error} retry={retry} />}
      {children(loaded.data)}
    </>
  );
};
