/*
 * Open tracking, opt-in and off by default: MAX's pixel in outgoing mail, and never a self-open.
 * Rule (gmail-page.md, "Open tracking"): the sender's own view of a sent message loads images
 * through Google's proxy too, so the server cannot tell it apart — here MAX's own pixel is removed
 * from the sender's view (direct URL or proxy URL ending with #<original>) and the view reported
 * (POST self-views) so it never counts. Opens stay "probable": the backend weighs them.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});

  /** The pixel URL an <img src> stands for: itself, or the original after '#' in a proxy URL. */
  function originalUrl(src) {
    if (typeof src !== 'string' || !src) return null;
    const hash = src.indexOf('#');
    const candidate = hash >= 0 && /googleusercontent\.com\//.test(src.slice(0, hash)) ? src.slice(hash + 1) : src;
    try {
      return new URL(candidate);
    } catch {
      return null;
    }
  }

  /** The tracking token when src is MAX's pixel on this backend, else null (pure; tested). */
  function pixelToken(src, backendUrl) {
    const url = originalUrl(src);
    if (!url) return null;
    let backend;
    try {
      backend = new URL(backendUrl);
    } catch {
      return null;
    }
    if (url.origin !== backend.origin) return null;
    const m = url.pathname.match(/\/t\/([^/]+?)(?:\.(?:gif|png))?$/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  /** Removes MAX's pixels from message bodies in `root`; calls onSelfView(token) once per token. */
  function neutralise(root, backendUrl, onSelfView, seen = new Set()) {
    let removed = 0;
    for (const img of MAX.gmailDom.findAll(root, 'bodyImage')) {
      const token = pixelToken(img.getAttribute('src'), backendUrl);
      if (!token) continue;
      img.removeAttribute('src');
      img.remove();
      removed += 1;
      if (!seen.has(token)) {
        seen.add(token);
        onSelfView(token);
      }
    }
    return removed;
  }

  const composeBody = (compose) => MAX.gmailDom.find(compose, 'composeBody');

  /** Appends the pixel (built with DOM methods) to the compose body at send; false if no body. */
  function insertPixel(compose, pixelUrl) {
    const body = composeBody(compose);
    if (!body || !pixelUrl || body.querySelector(`img[data-max-pixel]`)) return false;
    const img = document.createElement('img');
    img.src = pixelUrl;
    img.width = 1;
    img.height = 1;
    img.alt = '';
    img.dataset.maxPixel = '1';
    img.style.cssText = 'width:1px;height:1px;border:0';
    body.append(img);
    return true;
  }

  MAX.tracking = Object.freeze({ pixelToken, neutralise, insertPixel });
})();
