// A handler module loaded afresh with the given environment: each handler reads its configuration once, at import.
import { vi } from 'vitest';

export async function importWithEnvironment<T>(env: Record<string, string>, load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) {
    vi.stubEnv(name, value);
  }
  return load();
}
