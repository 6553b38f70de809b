// ESLint for the browser shim in js/ (`make lint-js`, part of `make lint`). The minified build is generated
// by js/build.sh and the .d.ts files are types only: neither is linted.
import js from '@eslint/js'
import globals from 'globals'

export default [
  { ignores: ['js/*.min.js', 'node_modules/', '.venv/', 'build/', 'dist/'] },
  {
    files: ['js/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      // The classic script runs on ES2015 browsers: no optional catch binding, no ?. or ??.
      ecmaVersion: 2015,
      sourceType: 'script',
      // globalThis only behind a typeof window check (the ES module under Node has no window).
      globals: { ...globals.browser, globalThis: 'readonly' }
    },
    rules: {
      ...js.configs.recommended.rules,
      // `x != null` is the one loose comparison allowed: null or undefined, as the options object may hold.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // ES2015 needs a name in catch (e) even where the error is not used.
      'no-unused-vars': ['error', { caughtErrors: 'none' }],
      // try { new URL(value) } catch (e) {}: a value that does not parse is simply not taken.
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-implicit-globals': 'error',
      'no-var': 'off',
      strict: ['error', 'function']
    }
  },
  {
    files: ['js/**/*.mjs', 'eslint.config.mjs'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser }
    },
    rules: { ...js.configs.recommended.rules, eqeqeq: ['error', 'always'] }
  }
]
