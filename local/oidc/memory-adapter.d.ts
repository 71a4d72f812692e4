// oidc-provider's own in-memory store, which it uses (and warns about) when given no adapter;
// passed explicitly, it is the intended choice here: nothing of the local sign-in outlives a run.
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  import type { AdapterConstructor } from 'oidc-provider';
  export function createMemoryAdapter(clockTolerance?: number): AdapterConstructor;
}
