// Written here for the adversarial replay: the sender's own view of a sent email, as Gmail draws
// it (images through Google's proxy), handed to the extension's real tracking.js from REPO.
// Usage: node sender_view.mjs REPO BACKEND_URL IMG_SRC... -> prints the tokens it reported, JSON.
import path from 'node:path';
import { JSDOM } from 'jsdom';

const [repo, backendUrl, ...sources] = process.argv.slice(2);
const images = sources.map((src) => `<img src="${src}">`).join('');
const dom = new JSDOM(`<div class="ii gt"><div class="a3s">Bonjour Marc,${images}</div></div>`, {
  url: 'https://mail.google.com/mail/u/0/',
});
for (const name of ['window', 'document', 'Node', 'HTMLElement', 'MutationObserver']) {
  globalThis[name] = dom.window[name] ?? dom.window;
}
for (const rel of ['lib/gmail-dom.js', 'content/tracking.js']) {
  await import(path.join(repo, 'extension', rel));
}
const reported = [];
globalThis.MAX.tracking.neutralise(dom.window.document, backendUrl, (token) => reported.push(token));
process.stdout.write(JSON.stringify(reported));
