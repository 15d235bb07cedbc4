/*
 * Open tracking, opt-in and off by default: MAX's pixel in outgoing mail, and never a self-open.
 * Rule (gmail-page.md, "Open tracking"): the sender's own view of a sent message loads images
 * through Google's proxy too, so the server cannot tell it apart — here MAX's own pixel is removed
 * from the sender's view (direct URL or proxy URL ending with #<original>) and the view reported
 * (POST self-views) so it never counts. The pixel is known by its path, /t/<token>.gif, on any
 * host: recipients reach the backend by its public URL (MAX_PUBLIC_URL), which need not be the
 * URL the extension talks to; the backend only counts a token of the user's own. Opens stay
 * "probable": the backend weighs them.
 */
(() => {
  const MAX = (globalThis.MAX ??= {});
  // The backend's token shape (backend/tracking.py TOKEN_SHAPE), in its pixel path.
  const PIXEL_PATH = /\/t\/([A-Za-z0-9_-]{16,64})\.gif$/;

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

  /** The tracking token when src is a MAX pixel, on whatever host, else null (pure; tested). */
  function pixelToken(src) {
    const url = originalUrl(src);
    const m = url && /^https?:$/.test(url.protocol) ? url.pathname.match(PIXEL_PATH) : null;
    return m ? m[1] : null;
  }

  /**
   * Removes MAX's pixels from message bodies in `root`; calls onSelfView(token) once per token.
   * `backendUrl` no longer narrows the match (the pixel's host is the public URL's).
   */
  function neutralise(root, backendUrl, onSelfView, seen = new Set()) {
    let removed = 0;
    for (const img of MAX.gmailDom.findAll(root, 'bodyImage')) {
      const token = pixelToken(img.getAttribute('src'));
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
