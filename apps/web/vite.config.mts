import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';

// `vite` (dev) proxies every API prefix to the API on :3000; `vite build` writes dist/, which the API serves at /.
const API = process.env.DUBAN_API_URL ?? 'http://127.0.0.1:3000';
const apiPrefixes = [
  'auth', 'findings', 'dispatch-notices', 'campaigns', 'calendar', 'reference', 'units', 'signers', 'ledgers', 'notices',
  'integrity', 'exports', 'inspection-reports', 'scoring-formulas', 'operations', 'health', 'evidence', 'api',
];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // ECharts is only on the report pages: its own chunk keeps it out of the first load.
        manualChunks: (id: string) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'echarts' : undefined),
      },
    },
  },
  server: { proxy: Object.fromEntries(apiPrefixes.map((p) => [`/${p}`, { target: API, bypass: (req: { headers: { accept?: string } }) => (req.headers.accept?.includes('text/html') ? '/index.html' : undefined) }])) },
});
