import { createContext, useContext } from 'react';
import type { ApiClient, Schemas } from '../api/client';
import type { ConsoleConfig } from '../config';

export interface ConsoleContext {
  config: ConsoleConfig;
  api: ApiClient;
  me: Schemas['Me'];
  can(permission: string): boolean;
  notify(message: { type: 'success' | 'error' | 'info'; content: string }): void;
}

export const Console = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const value = useContext(Console);
  if (!value) throw new Error('useConsole outside the signed-in shell');
  return value;
}
