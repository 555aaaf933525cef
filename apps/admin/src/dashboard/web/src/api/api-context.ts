import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api-client.js';

export const ApiContext = createContext<ApiClient | null>(null);

/** The signed-in session's API client. */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi outside a signed-in session');
  return api;
}
