// The house's shape, held in CI (npm run lint:imports, and a test that plants a wrong import and
// sees it refused): a core that imports no product, products that do not import each other, and
// no file cycle. TypeScript 7 has no compiler API for tools to parse with, so the files are read
// with swc.
const PRODUCTS = ['check', 'verify', 'checks', 'matrix', 'crash', 'power', 'backup', 'upgrade', 'devloop', 'performance', 'shard', 'run', 'commands', 'vitest'];
// The composers: `commands` (the CLI), `run` (persist run's runner) and `vitest` (its reporters)
// put the products together, so they may import them.
const COMPOSERS = ['commands', 'run', 'vitest'];
const productPath = (name) => `^src/${name}/`;
const ANY_PRODUCT = `^src/(${PRODUCTS.join('|')})/|^src/cli\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Files that import each other in a loop cannot be read, tested or moved apart.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-no-product',
      severity: 'error',
      comment: 'The core (engine, stacks, probes, targets, compose reading, report, timing…) serves every product and knows none.',
      from: { path: '^src/', pathNot: ANY_PRODUCT },
      to: { path: ANY_PRODUCT },
    },
    ...PRODUCTS.map((name) => ({
      name: `${name}-imports-no-other-product`,
      severity: 'error',
      comment: 'Products stand beside each other on the core: what two of them share belongs in the core.',
      from: { path: productPath(name) },
      to: {
        path: `^src/(${PRODUCTS.filter((other) => other !== name && !COMPOSERS.includes(other)).join('|')})/`,
        pathNot: productPath(name),
      },
    })).filter((rule) => !COMPOSERS.some((composer) => rule.name === `${composer}-imports-no-other-product`)),
    {
      name: 'ground-floor-stands-alone',
      severity: 'error',
      comment: 'timing, data and terminal are the ground floor: they import nothing of the project above them.',
      from: { path: '^src/(timing|data|terminal)/' },
      to: { path: '^src/', pathNot: '^src/(timing|data|terminal)/|^src/errors\\.ts$' },
    },
    {
      name: 'engine-knows-no-service',
      severity: 'error',
      comment:
        'The floor the services stand on (stacks, probes, targets, the report, storage) knows none of them: a service folder uses it (WordPress drives its own stack), so it must not reach back into the registry, the settings or what reads Compose files.',
      from: { path: '^src/(stack|probes|targets|report|storage|web)/' },
      to: { path: '^src/(services|compose|images)/|^src/(config|scenarios|scenario-kit)\\.ts$' },
    },
    {
      name: 'engine-stands-on-the-ground-floor',
      severity: 'error',
      comment: 'docker/ talks to the engine for everything above it: it knows nothing of the settings, services or reports that use it (host/ is the same floor: its disks and mounts).',
      from: { path: '^src/docker/' },
      to: { path: '^src/', pathNot: '^src/(docker|host|timing|data|terminal)/|^src/errors\\.ts$' },
    },
    {
      name: 'host-stands-on-the-ground-floor',
      severity: 'error',
      comment: "host/ is the engine host's own disks and mounts (the power-cut disks): the engine's sweep uses it, so it knows nothing above the ground floor.",
      from: { path: '^src/host/' },
      to: { path: '^src/', pathNot: '^src/(host|timing|data|terminal)/|^src/errors\\.ts$' },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|^src/.*-for-tests\\.ts$' },
    tsPreCompilationDeps: true,
  },
};
