import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';

// `vite` (dev) proxies every API prefix to the API on :3000; `vite build` writes dist/, which the API serves at /.
const API = process.env.DUBAN_API_URL ?? 'http://127.0.0.1:3000';
const apiPrefixes = [
  'auth', 'findings', 'dispatch-notices', 'campaigns', 'calendar', 'reference', 'units', 'signers', 'ledgers', 'notices',
  'integrity', 'exports', 'inspection-reports', 'scoring-formulas', 'operations', 'health', 'evidence', 'api',
];

const CHUNKS: [string, RegExp][] = [
  // ECharts is only on the report pages.
  ['echarts', /node_modules\/(echarts|zrender)\//],
  // What every page needs and changes only with an upgrade: cached apart from the app's own code.
  ['react', /node_modules\/(react|react-dom|scheduler|react-router|react-router-dom|@tanstack)\//],
];

/**
 * precache.json: every chunk the build wrote (but the report pages' ECharts), for the service worker to cache on
 * install, so a screen never opened online still opens offline.
 */
const precacheList = (): Plugin => ({
  name: 'duban-precache-list',
  apply: 'build',
  generateBundle(_, bundle) {
    const files = Object.keys(bundle)
      .filter((f) => f.startsWith('assets/') && !f.includes('echarts'))
      .sort()
      .map((f) => `/${f}`);
    this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files) });
  },
});

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precacheList()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks: (id: string) => CHUNKS.find(([, test]) => test.test(id))?.[0],
      },
    },
  },
  server: { proxy: Object.fromEntries(apiPrefixes.map((p) => [`/${p}`, { target: API, bypass: (req: { headers: { accept?: string } }) => (req.headers.accept?.includes('text/html') ? '/index.html' : undefined) }])) },
});
