// Worker threads do not inherit the TypeScript loader of the main thread: load the worker through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./render-floor-worker.ts', import.meta.url);
