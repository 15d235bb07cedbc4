// ESLint flat config for the extension (plain modern JavaScript, no build step).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/**', '.venv/**', 'tests/extension/fixtures/**'] },
  js.configs.recommended,
  {
    files: ['extension/**/*.js'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'script',
      globals: { ...globals.browser, ...globals.webextensions },
    },
  },
  // The service worker's own modules (the rest are classic scripts content scripts can load).
  { files: ['extension/background.js', 'extension/reminders.js'], languageOptions: { sourceType: 'module' } },
  {
    files: ['tests/extension/**/*.mjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
];
