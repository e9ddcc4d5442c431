import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// A plain multi-view site: Vite bundles the TypeScript and the client package, nothing else.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: { outDir: 'dist', emptyOutDir: true },
  server: { port: 5173 },
});
