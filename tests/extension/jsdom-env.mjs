// Written here for MAX's node tests: a jsdom window installed as the globals content scripts use,
// and paths to the repo and to ../shared/data. Not a test file (no .test.mjs suffix).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
// shared/ sits beside the checkout: ../shared from the main one, ../../shared from a worktree.
const sharedData = (dir) => path.join(dir, 'shared', 'data');
const ancestors = (dir) => (path.dirname(dir) === dir ? [dir] : [dir, ...ancestors(path.dirname(dir))]);
export const SHARED_DATA =
  ancestors(path.dirname(ROOT))
    .map(sharedData)
    .find((d) => fs.existsSync(d)) ?? sharedData(path.dirname(ROOT));
export const FIXTURES = path.join(HERE, 'fixtures');

/** A jsdom window on `html`, its globals installed so content scripts can be imported. */
export function installDom(
  html = '<!doctype html><html><body></body></html>',
  url = 'https://mail.google.com/mail/u/0/',
) {
  const dom = new JSDOM(html, { url });
  const w = dom.window;
  for (const name of [
    'window',
    'document',
    'DOMParser',
    'MouseEvent',
    'KeyboardEvent',
    'Node',
    'HTMLElement',
    'MutationObserver',
  ]) {
    globalThis[name] = w[name] ?? w;
  }
  globalThis.window = w;
  return dom;
}

export const fixture = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** A fixture page with Gmail's side panel (side-panel.html) where its marker is, as the e2e server serves it. */
export function withSidePanel(html) {
  const marker = '<!-- fixture: side-panel.html -->';
  if (!html.includes(marker)) throw new Error('this page takes no side panel');
  return html.replace(marker, fixture('side-panel.html'));
}

/** Loads extension scripts (no import/export; they fill globalThis.MAX) in order. */
export async function loadScripts(...relPaths) {
  for (const rel of relPaths) await import(path.join(ROOT, 'extension', rel));
  return globalThis.MAX;
}

// jsdom's internals, for one thing only: dispatching an event as the browser does for a person's
// own click or key. Like the DOM's, jsdom's dispatchEvent (and el.click()) marks every event a
// script makes isTrusted: false — which is what a page script's forged clicks look like.
const idl = createRequire(import.meta.url)('jsdom/lib/generated/idl/utils.js');

/** Dispatches `event` at `target` with isTrusted: true; returns false when it was cancelled. */
export function dispatchTrusted(target, event) {
  const impl = idl.implForWrapper(event);
  impl.isTrusted = true;
  return idl.implForWrapper(target)._dispatch(impl);
}

const viewOf = (node) => (node.ownerDocument ?? node).defaultView;
const INIT = { bubbles: true, cancelable: true, composed: true };

/** A person's click on `el` (trusted), as opposed to el.click() from a script. */
export const userClick = (el) => dispatchTrusted(el, new (viewOf(el).MouseEvent)('click', INIT));

/** A person's keydown at `target` (trusted): init as for KeyboardEvent ({key: 'Enter', ctrlKey}). */
export const userKey = (target, init) =>
  dispatchTrusted(target, new (viewOf(target).KeyboardEvent)('keydown', { ...INIT, ...init }));
