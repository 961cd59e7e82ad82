import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

/** Cross-origin isolation (for SharedArrayBuffer and precise timers) on every server that serves the app. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app's Content-Security-Policy: only its own origin, no eval (WebAssembly compiles through
 * 'wasm-unsafe-eval'), no request to anywhere else. Sent as a header by `vite preview` (it also covers the
 * worker scripts) and written into the built pages as a meta tag for static hosting.
 */
const CSP = [
  "default-src 'self'",
  // blob: for tfjs' threaded WASM backend, which starts its pthread workers from a blob of its own code
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
];

const cspMeta = (): Plugin => ({
  name: 'evonas-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP.join('; ') }, injectTo: 'head-prepend' }],
});

export default defineConfig({
  plugins: [svelte(), cspMeta()],
  // Workers are not minified: tfjs' threaded WASM backend starts its pthreads from the source text of a
  // function (Function.prototype.toString), which breaks when the minifier renames or moves what it refers to.
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { main: 'index.html', headless: 'headless.html' } },
  },
  server: { headers: isolation },
  preview: { headers: { ...isolation, 'Content-Security-Policy': [...CSP, "frame-ancestors 'none'"].join('; ') }, port: 4173 },
});
