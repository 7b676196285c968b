import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npx vite` serves the app with hot reload and forwards API calls to the server
// (PORT 3000 by default; set CIVICCERT_API=http://localhost:3100 to use another).
const apiTarget = process.env.CIVICCERT_API ?? 'http://localhost:3000';

// The web app lives in src/web and is built to dist/web, which the server
// serves from the same origin under a strict Content-Security-Policy
// (script-src 'self', style-src 'self'): no inline scripts or <style> blocks.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // Keep fonts and images as files so they load under font-src/img-src 'self'.
    assetsInlineLimit: 0,
    // USWDS CSS is large; the warning is noise for an app shell.
    chunkSizeWarningLimit: 1000,
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        // Libraries change less often than the app: separate files cache longer.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (id.includes('@trussworks') || id.includes('@uswds')) return 'uswds';
          if (id.includes('/zod/')) return 'zod';
          return 'vendor';
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
      '/readyz': apiTarget,
    },
  },
});
