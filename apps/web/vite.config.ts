import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the dashboard runs on Vite's server while the feed runs elsewhere; proxying /ws
// and the history API keeps the browser's URLs the same as in production, where one process
// serves everything.
const feedTarget = process.env.FEED_URL ?? 'ws://localhost:8080';
const historyTarget = feedTarget.replace(/^ws/, 'http');

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Vendor code changes far less often than the app, so it gets its own long-cached chunks;
        // this also keeps every chunk under Vite's 500 kB warning.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/,
              priority: 2,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/ws': { target: feedTarget, ws: true },
      '/api': { target: historyTarget },
    },
  },
});
