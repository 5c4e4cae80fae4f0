import { defaultClientConditions, defineConfig } from 'vite';

// The backend serves dist/ at `/` (same origin as /v1 and /v1/ws); `vite preview` proxies to it for trying pages alone.
const backend = process.env.ASHCHAT_BACKEND_URL ?? 'http://localhost:3000';

export default defineConfig(({ mode }) => ({
  resolve: {
    // Workspace packages resolve to their TypeScript sources; the client imports only their types.
    conditions: ['ashchat-source', ...defaultClientConditions],
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2022',
    // scripts/size.check.js reads the manifest to find the entry chunk and its static imports.
    manifest: true,
    sourcemap: true,
    // `pnpm dev` rebuilds on change while the backend serves dist/: never leave it without index.html
    // mid-rebuild (old hashed files pile up there until the next production build).
    emptyOutDir: mode !== 'development',
  },
  preview: { proxy: { '/v1': { target: backend, ws: true } } },
  server: { proxy: { '/v1': { target: backend, ws: true } } },
}));
