// The entry of a local Lambda instance, a worker thread of its own: registers the TypeScript loader the local cloud
// runs with (a worker does not inherit it), then starts the instance (instance.ts), which loads the handler.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerModules } from 'tsx/esm/api';

registerCommonJs();
registerModules();
await import('./instance.ts');
