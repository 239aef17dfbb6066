import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const page = (file: string) => fileURLToPath(new URL(`./src/web/${file}`, import.meta.url))

/**
 * Two pages, built from src/web into dist/web: the staff console (index.html, served at /) and
 * the public reporting page (report.html, served at /report), which shares no screen with it.
 */
export default defineConfig({
  root: 'src/web',
  // src/web/public holds the public page's entry (source, bundled), not files copied as they are.
  publicDir: false,
  plugins: [react()],
  // MapLibre alone is about 1 MB; it is its own chunk, loaded after the form.
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    // Vite 8's name for what was `rollupOptions`.
    rolldownOptions: {
      input: { index: page('index.html'), report: page('report.html') },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3311', '/open311': 'http://127.0.0.1:3311' } },
})
