/**
 * The import rule of docs/architecture.md, checked by `npm run check` (dependency-cruiser).
 * Folders are layers, highest first; a file may import its own folder and any folder below its own, never one
 * above. A total order means no two folders can import each other, so folder cycles are impossible; file cycles
 * are caught by `no-circular`.
 */
const LAYERS = [
  ['app', '^src/[^/]+$'],
  ['ui', '^src/lib/ui/'],
  ['state', '^src/lib/state/'],
  ['bridge', '^src/lib/bridge/'],
  ['workers', '^workers/'],
  ['share', '^src/lib/share/'],
  ['evaluation', '^src/lib/evaluation/'],
  ['store', '^src/lib/store/'],
  ['bundle', '^src/lib/bundle/'],
  ['plot', '^src/lib/plot/'],
  ['run', '^src/lib/run/'],
  ['measure', '^src/lib/measure/'],
  ['model', '^src/lib/model/'],
  ['bench', '^src/lib/bench/'],
  ['search', '^src/lib/search/'],
  ['costmodel', '^src/lib/costmodel/'],
  ['energy', '^src/lib/energy/'],
  ['data', '^src/lib/data/'],
  ['records', '^src/lib/records/'],
  ['genome', '^src/lib/genome/'],
  ['core', '^src/lib/core/'],
];

const upward = LAYERS.slice(1).map(([name, path], i) => ({
  name: `no-import-above-${name}`,
  comment: `${name} may import only the layers below it: ${LAYERS.slice(i + 2).map(([n]) => n).join(', ')}`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(0, i + 1).map(([, p]) => p) },
}));

const PURE = ['core', 'genome', 'records', 'data', 'energy', 'costmodel', 'search', 'bench'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'A file cycle makes the modules one unit; break it by moving the shared part down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-folders-import-no-packages',
      comment: `${PURE.join(', ')} are pure: no tfjs, DOM libraries, IndexedDB or workers`,
      severity: 'error',
      from: { path: PURE.map((n) => `^src/lib/${n}/`) },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'ui-draws-only',
      comment: 'Components never hold tensors, open IndexedDB or talk to workers: that goes through state and bridge.',
      severity: 'error',
      from: { path: '^src/lib/ui/' },
      to: { path: 'node_modules/(@tensorflow|idb|comlink|@nats-io)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^virtual:pwa-register' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|tests|scripts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.svelte.ts', '.js', '.svelte'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
