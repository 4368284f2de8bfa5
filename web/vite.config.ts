import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Hoorn server serves web/dist at `/` in production. In development the
// Vite dev server proxies the API (including the realtime WebSocket) to it.
const apiTarget = 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
});
