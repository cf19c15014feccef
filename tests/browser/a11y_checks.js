// In-page checks of the accessibility sweep (tests/browser/test_accessibility.py), beside axe-core.
// Evaluated as one function: () => ({targets: [...], uiContrast: [...], focusRing: [...]}); each offender is
// {what, text, detail}. The rules are described in the test module's docstring.
() => {
  const MIN_TARGET = 44; // CSS px, WCAG 2.5.5 (AAA), the size this project promises
  const MIN_UI_CONTRAST = 3; // WCAG 1.4.11 non-text contrast
  const EPSILON = 0.01; // sub-pixel layout rounding
  const CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  const FIELDS =
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), " +
    "select, textarea";
  // Chromium draws an unticked native checkbox or radio with this border (appearance: auto).
  const NATIVE_CHECK_BORDER = [118, 118, 118, 1];

  const describe = (el) => {
    const parts = [];
    for (let node = el, depth = 0; node && node.nodeType === 1 && depth < 4; node = node.parentElement, depth++) {
      let part = node.tagName.toLowerCase();
      if (node.id) {
        parts.unshift(`${part}#${node.id}`);
        break;
      }
      const classes = [...node.classList].slice(0, 2);
      if (classes.length) part += "." + classes.join(".");
      if (depth === 0) {
        for (const attr of ["type", "name", "role"]) {
          if (node.hasAttribute(attr)) part += `[${attr}=${node.getAttribute(attr)}]`;
        }
      }
      parts.unshift(part);
      if (node.tagName === "MAIN" || node.tagName === "HEADER" || node.tagName === "FOOTER") break;
    }
    return parts.join(" > ");
  };
  const textOf = (el) =>
    (el.innerText || el.value || el.getAttribute("aria-label") || el.getAttribute("title") || "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 60);

  const isShown = (el) => {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || style.visibility === "collapse") return false;
    const rect = el.getBoundingClientRect();
    // 1×1 boxes are the "visually hidden" pattern (screen-reader text, a skip link parked off-screen).
    return rect.width > 1 && rect.height > 1;
  };
  const bigEnough = (rect) => rect.width + EPSILON >= MIN_TARGET && rect.height + EPSILON >= MIN_TARGET;
  const size = (rect) => `${Math.round(rect.width * 10) / 10}×${Math.round(rect.height * 10) / 10}`;

  // The block that holds an inline element: the nearest ancestor not laid out inline.
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && ["inline", "contents"].includes(getComputedStyle(node).display)) node = node.parentElement;
    return node || document.body;
  };
  // Text of `block` outside every control in it: a sentence's own words, not the link texts.
  const otherText = (block) => {
    let text = "";
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement && node.parentElement.closest(CONTROLS)) continue;
      text += node.data;
    }
    return text;
  };
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    // Letters or digits, not just separators such as " · " between a row of links.
    return /[\p{L}\p{N}]/u.test(otherText(blockOf(el)));
  };
  const labelsOf = (el) => {
    const labels = new Set(el.labels ? [...el.labels] : []);
    const wrapping = el.closest("label");
    if (wrapping) labels.add(wrapping);
    return [...labels];
  };
  const checkInBigLabel = (el) =>
    el.tagName === "INPUT" &&
    ["checkbox", "radio"].includes(el.type) &&
    labelsOf(el).some((label) => isShown(label) && bigEnough(label.getBoundingClientRect()));

  const targets = [];
  for (const el of document.querySelectorAll(CONTROLS)) {
    if (!isShown(el)) continue;
    const rect = el.getBoundingClientRect();
    if (bigEnough(rect) || inSentence(el) || checkInBigLabel(el)) continue;
    targets.push({ what: describe(el), text: textOf(el), detail: `${size(rect)} px` });
  }

  // --- non-text contrast of form fields (WCAG 1.4.11) ---------------------------------------
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const parse = (css) => {
    // Through a canvas, so that any colour syntax (rgb, hex, oklch, color-mix …) comes out as sRGB.
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const backgroundBehind = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color[3] > 0) layers.push(color);
      if (color[3] >= 1) break;
    }
    return layers.reduceRight((acc, color) => over(color, acc), [255, 255, 255, 1]);
  };
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) => "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

  const uiContrast = [];
  for (const el of document.querySelectorAll(FIELDS)) {
    if (!isShown(el)) continue;
    const style = getComputedStyle(el);
    const outside = el.parentElement ? backgroundBehind(el.parentElement) : [255, 255, 255, 1];
    const candidates = []; // [what, colour] that can mark the field's edge
    candidates.push(["background", over(parse(style.backgroundColor), outside)]);
    for (const side of ["Top", "Right", "Bottom", "Left"]) {
      const width = parseFloat(style[`border${side}Width`]);
      const kind = style[`border${side}Style`];
      if (width >= 1 && kind !== "none" && kind !== "hidden") {
        candidates.push([`border-${side.toLowerCase()}`, over(parse(style[`border${side}Color`]), outside)]);
      }
    }
    if (style.boxShadow && style.boxShadow !== "none") {
      const match = style.boxShadow.match(/^((?:rgba?|oklch|oklab|lab|lch|hsla?|color)\([^)]*\)|#[0-9a-f]+)/i);
      if (match) candidates.push(["box-shadow", over(parse(match[1]), outside)]);
    }
    if (el.type === "file") {
      // The field is its "Choose file" button: that button's own edge counts.
      const button = getComputedStyle(el, "::file-selector-button");
      candidates.push(["file button", over(parse(button.backgroundColor), outside)]);
      if (parseFloat(button.borderTopWidth) >= 1 && !["none", "hidden"].includes(button.borderTopStyle)) {
        candidates.push(["file button border", over(parse(button.borderTopColor), outside)]);
      }
    }
    if (["checkbox", "radio"].includes(el.type) && style.appearance !== "none") {
      candidates.push(["native border", NATIVE_CHECK_BORDER]);
    }
    const scored = candidates.map(([what, color]) => [what, hex(color), ratio(color, outside)]);
    const best = scored.reduce((a, b) => (b[2] > a[2] ? b : a));
    if (best[2] + EPSILON < MIN_UI_CONTRAST) {
      // "border #b8c6bd 1.77:1, background #ffffff 1.00:1": sides of one colour named once.
      const byColor = new Map();
      for (const [what, color, r] of scored) {
        const key = `${color} ${r.toFixed(2)}:1`;
        byColor.set(key, [...(byColor.get(key) || []), what.replace(/^border-\w+$/, "border")]);
      }
      const detail = [...byColor].map(([key, whats]) => `${[...new Set(whats)].join("/")} ${key}`).join(", ");
      uiContrast.push({
        what: describe(el),
        text: textOf(el),
        detail: `edge at most ${best[2].toFixed(2)}:1 against ${hex(outside)}, needs 3:1 (${detail})`,
      });
    }
  }
  // --- the focus ring (WCAG 1.4.11 for focus indicators) --------------------------------------
  // Three elements a keyboard reaches on every page are focused in turn, as a keyboard would
  // (focusVisible, no scrolling): the skip link, the first control of the header (on its green)
  // and the first control of main. Each needs a ring drawn with :focus-visible (an outline of at
  // least 2 px, or a box-shadow) whose colour, or that of its box-shadow's band, is at least 3:1
  // against the background around the element (its parent's, as the ring is drawn outside). The
  // focus goes back where it was (an error summary keeps it).
  const focusRing = [];
  const before = document.activeElement;
  const firstControl = (root) =>
    root ? [...root.querySelectorAll(CONTROLS)].find((el) => isShown(el) && !el.disabled) : null;
  const focusable = [
    document.querySelector(".skip-link"),
    firstControl(document.querySelector("header")),
    firstControl(document.querySelector("main")),
  ].filter(Boolean);
  for (const el of focusable) {
    el.focus({ focusVisible: true, preventScroll: true });
    if (document.activeElement !== el) continue; // not focusable here (a control drawn inert)
    const style = getComputedStyle(el);
    const outside = el.parentElement ? backgroundBehind(el.parentElement) : [255, 255, 255, 1];
    const candidates = [];
    if (!["none", "hidden"].includes(style.outlineStyle) && parseFloat(style.outlineWidth) >= 2) {
      candidates.push(["outline", over(parse(style.outlineColor), outside)]);
    }
    if (style.boxShadow && style.boxShadow !== "none") {
      const match = style.boxShadow.match(/^((?:rgba?|oklch|oklab|lab|lch|hsla?|color)\([^)]*\)|#[0-9a-f]+)/i);
      if (match) candidates.push(["box-shadow", over(parse(match[1]), outside)]);
    }
    const scored = candidates.map(([what, color]) => [what, hex(color), ratio(color, outside)]);
    const best = scored.reduce((a, b) => (b[2] > a[2] ? b : a), ["nothing", "", 0]);
    if (best[2] + EPSILON < MIN_UI_CONTRAST) {
      const detail = scored.length
        ? scored.map(([what, color, r]) => `${what} ${color} ${r.toFixed(2)}:1`).join(", ")
        : `no ring (outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow})`;
      focusRing.push({
        what: describe(el),
        text: textOf(el),
        detail: `focus ring at most ${best[2].toFixed(2)}:1 against ${hex(outside)}, needs 3:1 (${detail})`,
      });
    }
  }
  if (before && before !== document.body && before.focus) before.focus({ preventScroll: true });
  else if (document.activeElement && document.activeElement.blur) document.activeElement.blur();

  return { targets, uiContrast, focusRing };
};
