/**
 * The dependency check (`npm run deps`, in CI through `npm run lint`): no import cycle anywhere in
 * the code. Type-only imports count: a cycle of types is still two files that cannot be read,
 * moved or tested apart. Which imports the domain may make is ESLint's rule (eslint.config.js).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles tie files together: move what both need into a module both import.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|\\.data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] },
  },
};
