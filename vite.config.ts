import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** The console: built from src/web into dist/web, which the server serves at /. */
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  // MapLibre alone is about 1 MB; it is its own chunk, loaded after the form.
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3311' } },
})
