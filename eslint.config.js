// Layer rules from shared/design/architecture.md, enforced like VS Code's layer checks:
// app/ imports nothing outside app/; renderer/ never imports main/ or Node; only main/electron/
// imports electron; native-models/ imports app/ but not main/ or renderer/. One addition to the
// table in architecture.md: main/ may import native-models/, because the CLI and the app build a
// model's ONNX graph from its checkpoint on first use.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'worker_threads'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'release/**',
      'coverage/**',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['electron'], message: 'Only main/electron/ may import electron.' }],
        },
      ],
    },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../../main/*',
                '../main/*',
                '**/main/**',
                '**/renderer/**',
                '**/native-models/**',
              ],
              message: 'app/ imports nothing outside app/.',
            },
            { group: nodeBuiltins, message: 'app/ is process-neutral: no Node built-ins.' },
            {
              group: ['electron', 'react', 'onnxruntime-node'],
              message: 'app/ is process-neutral.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**'],
              message: 'The renderer never imports main/; use the typed API.',
            },
            {
              group: ['**/native-models/**'],
              message: 'The renderer never imports native-models/.',
            },
            {
              group: [...nodeBuiltins, 'electron', 'onnxruntime-node'],
              message: 'The renderer uses browser packages only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['native-models/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'native-models/ may import app/ only.',
            },
            { group: ['electron'], message: 'Only main/electron/ may import electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }] },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'Only main/electron/ may import electron.' },
            { group: ['**/renderer/**'], message: 'main/ never imports the renderer.' },
          ],
        },
      ],
    },
  },
);
