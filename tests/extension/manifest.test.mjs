// Meta-tests for manifest.json and the wiring of extension/: every script the manifest names
// exists, the MAIN-world reader runs at document_start, permissions stay minimal, the content
// scripts load their libraries before the features that use them, and the page-world constants
// agree with lib/message-types.js.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, loadScripts } from './jsdom-env.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const exists = (rel) => fs.existsSync(path.join(ROOT, rel));

test('every file the manifest names exists', () => {
  const named = [
    manifest.background.service_worker,
    manifest.options_ui.page,
    ...manifest.content_scripts.flatMap((c) => [...c.js, ...(c.css ?? [])]),
    ...Object.values(manifest.icons),
    ...Object.values(manifest.action.default_icon),
  ];
  assert.deepEqual(
    named.filter((f) => !exists(f)),
    [],
  );
});

test('permissions: storage, and alarms + notifications for the reminder; hosts: Gmail and loopback backends', () => {
  assert.deepEqual(manifest.permissions, ['storage', 'alarms', 'notifications']);
  assert.ok(manifest.host_permissions.includes('https://mail.google.com/*'));
  assert.ok(manifest.host_permissions.includes('http://127.0.0.1/*'), 'any loopback port');
  assert.equal(manifest.manifest_version, 3);
});

test('a team server: any https origin, asked for at run time, never granted up front', () => {
  assert.deepEqual(manifest.optional_host_permissions, ['https://*/*']);
  assert.ok(!manifest.host_permissions.some((h) => h.startsWith('https://*')));
});

test('the MAIN-world reader runs at document_start on Gmail, alone', () => {
  const main = manifest.content_scripts.filter((c) => c.world === 'MAIN');
  assert.equal(main.length, 1);
  assert.deepEqual(main[0].js, ['extension/content/page-world.js']);
  assert.equal(main[0].run_at, 'document_start');
  assert.deepEqual(main[0].matches, ['https://mail.google.com/*']);
});

test('every content feature file is loaded, libraries first and main.js last', () => {
  const isolated = manifest.content_scripts.find((c) => c.world !== 'MAIN').js;
  const features = fs
    .readdirSync(path.join(ROOT, 'extension/content'))
    .filter((f) => f.endsWith('.js') && f !== 'page-world.js');
  assert.deepEqual(
    features.map((f) => `extension/content/${f}`).filter((f) => !isolated.includes(f)),
    [],
  );
  assert.equal(isolated.at(-1), 'extension/content/main.js');
  const firstContent = isolated.findIndex((f) => f.startsWith('extension/content/'));
  assert.ok(isolated.slice(0, firstContent).every((f) => f.startsWith('extension/lib/')));
});

test('page-world.js mirrors MAX.PAGE', async () => {
  const { PAGE } = await loadScripts('lib/message-types.js');
  const src = fs.readFileSync(path.join(ROOT, 'extension/content/page-world.js'), 'utf8');
  for (const [name, value] of [
    ['SOURCE', PAGE.SOURCE],
    ['GMAIL_RESPONSE', PAGE.GMAIL_RESPONSE],
    ['ACCOUNT', PAGE.ACCOUNT],
    ['HELLO', PAGE.HELLO],
    ['LANG', PAGE.LANG],
  ]) {
    assert.ok(src.includes(`const ${name} = '${value}';`), name);
  }
});

test('message types name their direction and are unique', async () => {
  const { MSG } = await loadScripts('lib/message-types.js');
  const values = Object.values(MSG);
  assert.equal(new Set(values).size, values.length);
  for (const v of values) assert.match(v, /^(cs|op)-bg-[a-z-]+$/);
});

test('no innerHTML, outerHTML, insertAdjacentHTML or document.write in the extension (Trusted Types)', () => {
  const bad = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (
        p.endsWith('.js') &&
        /\.(innerHTML|outerHTML|insertAdjacentHTML)\b|document\.write\(/.test(fs.readFileSync(p, 'utf8'))
      )
        bad.push(path.relative(ROOT, p));
    }
  };
  walk(path.join(ROOT, 'extension'));
  assert.deepEqual(bad, []);
});

test('icons at the sizes Chrome and the Web Store ask for; the toolbar button opens the pipeline panel', () => {
  assert.deepEqual(Object.keys(manifest.icons), ['16', '32', '48', '128']);
  for (const [size, file] of Object.entries(manifest.icons)) {
    const png = fs.readFileSync(path.join(ROOT, file));
    assert.equal(png.readUInt32BE(16), Number(size), file);
    assert.equal(png.readUInt32BE(20), Number(size), file);
  }
  assert.equal(
    manifest.action.default_popup,
    'extension/pipeline/pipeline.html',
    'its Settings button opens the options',
  );
  assert.match(manifest.action.default_title, /^__MSG_\w+__$/);
});

test("MAX's page stylesheet styles MAX's own classes only: every Gmail selector is in gmail-dom.js", () => {
  const css = fs.readFileSync(path.join(ROOT, 'extension/content/page.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const selectors = css.match(/[^{}]+(?=\{)/g).flatMap((s) => s.split(','));
  const classes = selectors.flatMap((s) => s.match(/\.[\w-]+/g) ?? []);
  assert.ok(classes.length > 3);
  assert.deepEqual(
    classes.filter((c) => !c.startsWith('.max-')),
    [],
  );
});
