// Lint for the whole repository: `npm run lint` (the first step of `npm test`, so CI fails on it).
// The layer arrows (ingest → db → metrics → live → app) are checked by scripts/layers.ts, in the
// same npm script.
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', 'data/**', 'next-env.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `const { hidden: _hidden, ...rest } = row` is how the code drops a field; `_` says "on purpose".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // useViewport takes a callback and its deps like useMemo: check its callers the same way.
      'react-hooks/exhaustive-deps': ['error', { additionalHooks: '^useViewport$' }],
    },
  },
  {
    // Tests, test harnesses and command-line tools read JSON answers of a real server (or data files)
    // and check them field by field where they use them.
    files: ['**/*.test.ts', '**/test/**', '**/testing/**', 'tests/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
)
