import { defineConfig } from 'vite';

// Library mode, one self-contained IIFE: the server serves widget/dist/widget.js as `/widget.js`
// and customers embed it with a single <script> tag, so there is no chunk splitting, no CSS file
// (the styles live in the shadow root) and no runtime dependency.
export default defineConfig({
  plugins: [
    {
      // Host pages are not always UTF-8 and servers do not always send a charset: keep the file
      // pure ASCII so "…" and "ë" survive any encoding (non-ASCII only occurs in string literals).
      name: 'hoorn-ascii-only',
      generateBundle(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type === 'chunk') chunk.code = chunk.code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        }
      },
    },
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    lib: {
      entry: 'src/main.ts',
      formats: ['iife'],
      name: 'HoornWidget',
      fileName: () => 'widget.js',
    },
  },
});
