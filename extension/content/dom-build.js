/*
 * Builds MAX's UI with DOM methods only and mounts it in a Shadow DOM.
 * Rule: no innerHTML, DOMParser or other string-to-HTML sinks — Gmail enforces Trusted Types (gmail-page.md)
 * — and every event handler is guarded, so a failure in MAX is logged (without personal data)
 * and never breaks Gmail. MAX's controls act on a person's own click or key only: Gmail's page
 * is untrusted (any script in it can find MAX's open shadow roots and call .click() or
 * dispatchEvent on a button), and only the browser's own input events have isTrusted set.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});

  /** fn wrapped so it never throws into Gmail; the log names the place and the error kind only. */
  function guard(where, fn) {
    return function guarded(...args) {
      try {
        const result = fn.apply(this, args);
        if (result && typeof result.catch === 'function') result.catch((err) => report(where, err));
        return result;
      } catch (err) {
        report(where, err);
        return undefined;
      }
    };
  }

  /** fn as a listener for what a person does: guarded, and an event a script made does nothing. */
  function onUser(where, fn) {
    const guarded = guard(where, fn);
    return function userOnly(event, ...rest) {
      if (event?.isTrusted !== true) return undefined; // a page script's click, never a person's
      return guarded.call(this, event, ...rest);
    };
  }

  function report(where, err) {
    console.warn(`MAX: ${where} failed (${err?.name ?? 'Error'})`);
  }

  /** el('button', {class: 'x', data: {max: 'copy'}, on: {click}, attrs: {...}}, 'text', child); `on` listeners act on trusted events only (onUser). */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    if (props.class) node.className = props.class;
    for (const [k, v] of Object.entries(props.attrs ?? {}))
      if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    for (const [k, v] of Object.entries(props.data ?? {})) node.dataset[k] = String(v);
    for (const [k, fn] of Object.entries(props.on ?? {})) node.addEventListener(k, onUser(`${tag} ${k}`, fn));
    if (props.value !== undefined) node.value = props.value;
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** A host element carrying data-max=<kind>, with an open shadow root holding `css`. */
  function mountHost(kind, parent, css, { prepend = false } = {}) {
    const host = document.createElement('div');
    host.dataset.max = kind;
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
    if (prepend) parent.prepend(host);
    else parent.append(host);
    return { host, root };
  }

  // The backend's QR code is SVG text. It is drawn as an <img> with a data: URL: an SVG inside
  // an image runs no script and loads nothing, and no string is parsed into the page (DOMParser
  // is itself a Trusted Types sink under Gmail's policy). Anything that is not SVG is refused.
  function svgImage(svgText, alt) {
    if (typeof svgText !== 'string' || !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svgText)) return null;
    const img = document.createElement('img');
    img.alt = alt;
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
    return img;
  }

  MAX.dom = Object.freeze({ guard, onUser, el, mountHost, svgImage });
})();
