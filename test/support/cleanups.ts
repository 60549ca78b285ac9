import { afterEach } from 'vitest';

/** Things to undo after each test, newest first: `const cleanups = useCleanups(); cleanups.push(...)`. */
export function useCleanups(): (() => Promise<void> | void)[] {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}
