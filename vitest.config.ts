import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: ['tests/unit/**/*.svelte.test.ts'] } },
      // state classes use runes: compiled by Svelte, and its client build so $derived reacts as in the page
      { extends: true, plugins: [svelte()], resolve: { conditions: ['browser'] }, test: { name: 'state', include: ['tests/unit/**/*.svelte.test.ts'] } },
    ],
  },
});
