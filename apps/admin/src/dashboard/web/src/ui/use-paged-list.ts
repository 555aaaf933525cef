import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client.js';
import type { Page } from '../api/types.js';
import { useAsync } from './use-async.js';

/**
 * A newest-first list read a page at a time: the first page on mount (and on `reload`), older
 * pages on `loadOlder`. Older pages belong to the first page they followed; a reload starts over.
 */
export function usePagedList<T>(api: ApiClient, resource: string, pageSize: number) {
  const { state, reload } = useAsync((signal) => api.get<Page<T>>(resource, { query: { limit: pageSize }, signal }), [api, resource]);
  const [older, setOlder] = useState<{ items: readonly T[]; nextCursor: string | null; after: unknown } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);

  const first = state.data;
  const extra = older && older.after === first ? older : null;
  const items = [...(first?.items ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.nextCursor : (first?.nextCursor ?? null);

  const loadOlder = async () => {
    if (nextCursor === null) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await api.get<Page<T>>(resource, { query: { limit: pageSize, cursor: nextCursor } });
      setOlder({ items: [...(extra?.items ?? []), ...page.items], nextCursor: page.nextCursor, after: first });
    } catch (error) {
      setOlderError(error);
    } finally {
      setLoadingOlder(false);
    }
  };

  return { state, reload, items, nextCursor, loadOlder, loadingOlder, olderError };
}
