import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Cross-origin isolation (for SharedArrayBuffer and precise timers) on every server that serves the app. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app's Content-Security-Policy: only its own origin, no eval (WebAssembly compiles through
 * 'wasm-unsafe-eval'), no request to anywhere else but, for a shared run the user starts or joins, the lab's
 * NATS WebSocket (on this machine, or over TLS on the LAN). Sent as a header by `vite preview` (it also covers the
 * worker scripts) and written into the built pages as a meta tag for static hosting.
 */
const CSP = [
  "default-src 'self'",
  // blob: for tfjs' threaded WASM backend, which starts its pthread workers from a blob of its own code
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:* wss:",
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
  plugins: [
    svelte(),
    cspMeta(),
    // Offline after the first visit: the app shell and the WASM binaries are precached, built-in datasets are
    // cached the first time a search loads them. A new version waits for the user (see state/update.svelte.ts).
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'EvoNAS: energy-aware CNN search on this device',
        short_name: 'EvoNAS',
        description: 'Evolve energy-efficient convolutional networks in your browser, on your own device.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#10141c',
        theme_color: '#1c7ed6',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // the default dataset (57 kB) works offline from the first visit; the others once a search has used them
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}', 'datasets/digits.csv.gz'],
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallbackDenylist: [/^\/__/],
        runtimeCaching: [
          { urlPattern: ({ url }) => url.pathname.includes('/datasets/'), handler: 'CacheFirst', options: { cacheName: 'evonas-datasets' } },
          { urlPattern: ({ url }) => url.pathname.includes('/benchmarks/'), handler: 'CacheFirst', options: { cacheName: 'evonas-benchmarks' } },
        ],
      },
    }),
  ],
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
