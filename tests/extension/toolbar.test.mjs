// Tests the toolbar button (manifest "action"): it opens the pipeline panel as its popup, one
// click from any Gmail view, and the panel's own button opens the settings (background.js's
// op-bg-open-options). The manifest is read as Chrome reads it.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './jsdom-env.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));

test('the toolbar button opens the pipeline panel, a page of the extension', () => {
  const popup = manifest.action.default_popup;
  assert.equal(popup, 'extension/pipeline/pipeline.html');
  assert.ok(fs.existsSync(path.join(ROOT, popup)));
});

test("the panel's scripts all exist, and it reaches the settings through the background", () => {
  const html = fs.readFileSync(path.join(ROOT, manifest.action.default_popup), 'utf8');
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(scripts.length > 3);
  for (const src of scripts) assert.ok(fs.existsSync(path.join(ROOT, 'extension/pipeline', src)), src);
  const js = fs.readFileSync(path.join(ROOT, 'extension/pipeline/pipeline.js'), 'utf8');
  assert.match(js, /MSG\.OP_BG_OPEN_OPTIONS/);
});
