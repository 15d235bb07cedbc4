/*
 * Builds MAX's UI with DOM methods only and mounts it in a Shadow DOM.
 * Rule: no innerHTML or other string-to-HTML sinks — Gmail enforces Trusted Types (gmail-page.md)
 * — and every event handler is guarded, so a failure in MAX is logged (without personal data)
 * and never breaks Gmail.
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

  function report(where, err) {
    console.warn(`MAX: ${where} failed (${err?.name ?? 'Error'})`);
  }

  /** el('button', {class: 'x', data: {max: 'copy'}, on: {click}, attrs: {...}}, 'text', child) */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    if (props.class) node.className = props.class;
    for (const [k, v] of Object.entries(props.attrs ?? {}))
      if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    for (const [k, v] of Object.entries(props.data ?? {})) node.dataset[k] = String(v);
    for (const [k, fn] of Object.entries(props.on ?? {})) node.addEventListener(k, guard(`${tag} ${k}`, fn));
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

  // The backend's QR code is SVG text: parsed as image/svg+xml (no script runs in a parsed
  // document) and imported as a node; anything that is not a clean <svg> is refused.
  function svgNode(svgText) {
    if (typeof svgText !== 'string' || !svgText.includes('<svg')) return null;
    const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const svg = parsed.documentElement;
    if (!svg || svg.localName !== 'svg' || parsed.querySelector('parsererror')) return null;
    for (const bad of svg.querySelectorAll('script, foreignObject')) bad.remove();
    for (const node of [svg, ...svg.querySelectorAll('*')]) {
      for (const attr of [...node.attributes]) {
        const scripted = /^on/i.test(attr.name) || /^\s*javascript:/i.test(attr.value);
        if (scripted) node.removeAttribute(attr.name);
      }
    }
    return document.importNode(svg, true);
  }

  MAX.dom = Object.freeze({ guard, el, mountHost, svgNode });
})();
