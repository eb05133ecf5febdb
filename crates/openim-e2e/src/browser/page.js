// DOM queries the end-to-end tests run in the page through WebDriver. They look for what a
// person sees (label text, roles, button and link text, table captions and headings) and never
// for CSS classes. Each query returns { found } or { missing: "what the page has instead" }.
const e2e = (() => {
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  // Rendered and not hidden; checkVisibility also sees through a closed <details>, whose
  // content keeps its boxes but is not shown.
  const visible = (el) =>
    !!el &&
    el.getClientRects().length > 0 &&
    (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : getComputedStyle(el).visibility !== "hidden");
  const text = (el) => norm(el.innerText);
  const list = (items) => (items.length ? items.map((s) => JSON.stringify(s)).join(", ") : "none");

  // A label's own words, without the text of controls nested in it (a <select>'s options).
  const labelText = (label) => {
    const copy = label.cloneNode(true);
    copy.querySelectorAll("select, textarea, input, button, datalist").forEach((c) => c.remove());
    return norm(copy.textContent);
  };

  const labels = () => [...document.querySelectorAll("label")];

  const control = (name) => {
    const matching = labels().filter((l) => labelText(l) === name);
    const controls = matching.map((l) => l.control).filter(Boolean);
    const found = controls.find(visible) || controls[0];
    if (found) return { found };
    let missing = matching.length
      ? `the label ${JSON.stringify(name)} is tied to no control (no for= or nested control)`
      : `no <label> reads ${JSON.stringify(name)}; the labels are ${list(labels().filter(visible).map(labelText))}`;
    const named = [...document.querySelectorAll("[aria-label]")].filter(
      (el) => norm(el.getAttribute("aria-label")) === name,
    );
    if (named.length) missing += `; a <${named[0].tagName.toLowerCase()}> has aria-label=${JSON.stringify(name)} but no visible label`;
    return { missing };
  };

  const value = (name) => {
    const c = control(name);
    if (!c.found) return c;
    const el = c.found;
    return {
      found: {
        value: el.type === "checkbox" || el.type === "radio" ? String(el.checked) : el.value,
        readOnly: !!el.readOnly,
        disabled: !!el.disabled,
        tag: el.tagName.toLowerCase(),
        selected: el.tagName === "SELECT" && el.selectedIndex >= 0 ? norm(el.options[el.selectedIndex].text) : null,
        options: el.tagName === "SELECT" ? [...el.options].map((o) => norm(o.text)) : null,
      },
    };
  };

  const option = (labelName, optionText) => {
    const c = control(labelName);
    if (!c.found) return c;
    if (c.found.tagName !== "SELECT") return { missing: `${JSON.stringify(labelName)} labels a <${c.found.tagName.toLowerCase()}>, not a <select>` };
    const options = [...c.found.options];
    const found = options.find((o) => norm(o.text) === optionText);
    if (found) return { found };
    return { missing: `${JSON.stringify(labelName)} has no option ${JSON.stringify(optionText)}; its options are ${list(options.map((o) => norm(o.text)))}` };
  };

  // Buttons as a person sees them: <button>, input buttons, role=button, and a <details>
  // element's <summary> (the "Show" toggles).
  const buttons = () =>
    [...document.querySelectorAll('button, input[type="submit"], input[type="button"], [role="button"], summary')]
      .filter(visible);
  const buttonName = (b) => (b.tagName === "INPUT" ? norm(b.value) : text(b) || norm(b.getAttribute("aria-label")));

  const button = (name, index) => {
    const matching = buttons().filter((b) => buttonName(b) === name);
    if (matching.length > index) return { found: matching[index] };
    return { missing: `found ${matching.length} visible button(s) reading ${JSON.stringify(name)}; the buttons are ${list(buttons().map(buttonName))}` };
  };

  const enabledButton = (name, index) => {
    const b = button(name, index);
    if (b.found && (b.found.disabled || b.found.getAttribute("aria-disabled") === "true")) {
      return { missing: `the button ${JSON.stringify(name)} is disabled` };
    }
    return b;
  };

  const buttonState = (name) => {
    const b = button(name, 0);
    if (!b.found) return b;
    return { found: { disabled: !!b.found.disabled || b.found.getAttribute("aria-disabled") === "true" } };
  };

  const countButtons = (name) => ({ found: buttons().filter((b) => buttonName(b) === name).length });

  const link = (name) => {
    const links = [...document.querySelectorAll("a[href]")].filter(visible);
    const found = links.find((a) => text(a) === name);
    if (found) return { found };
    return { missing: `no visible link reads ${JSON.stringify(name)}; the links are ${list(links.map(text))}` };
  };

  // Implicit roles of the elements the console uses, besides explicit role= attributes.
  const implicit = {
    status: "output",
    heading: "h1, h2, h3, h4, h5, h6",
    button: "button",
    link: "a[href]",
    table: "table",
    navigation: "nav",
    main: "main",
  };
  const withRole = (role) => {
    const selector = `[role="${role}"]` + (implicit[role] ? `, ${implicit[role]}` : "");
    return [...document.querySelectorAll(selector)].filter(visible);
  };
  const roleTexts = (role) => ({ found: withRole(role).map(text) });

  const heading = (level) => ({ found: [...document.querySelectorAll(`h${level}`)].filter(visible).map(text) });

  // A name matches a caption or heading that reads the same, or the same followed by a count
  // in brackets ("Request log" matches "Request log (3)").
  const nameMatches = (name, s) => {
    s = norm(s);
    return s === name || (s.startsWith(`${name} (`) && s.endsWith(")"));
  };

  const tables = () => [...document.querySelectorAll("table")].filter(visible);

  const table = (name) => {
    const all = tables();
    if (name === null) {
      const found = all.find((t) => t.closest("main")) || all[0];
      return found ? { found } : { missing: "there is no visible table" };
    }
    for (const t of all) {
      if (t.caption && nameMatches(name, t.caption.textContent)) return { found: t };
      if (nameMatches(name, t.getAttribute("aria-label"))) return { found: t };
      const ids = (t.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      if (ids.length && nameMatches(name, ids.map((id) => document.getElementById(id)?.textContent || "").join(" "))) {
        return { found: t };
      }
    }
    // The first table after a heading of that name, within the heading's section.
    for (const h of [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(visible)) {
      if (!nameMatches(name, h.textContent)) continue;
      const scope = h.closest("section, article, main, aside, form") || document.body;
      const found = all.find((t) => scope.contains(t) && h.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
      if (found) return { found };
    }
    const names = all.map((t) => (t.caption ? text(t.caption) : t.getAttribute("aria-label") || "(unnamed)"));
    return { missing: `no visible table has the caption or heading ${JSON.stringify(name)}; the tables are ${list(names)}` };
  };

  const tableData = (name) => {
    const t = table(name);
    if (!t.found) return t;
    const rows = [...t.found.rows];
    const isHeader = (tr) => tr.parentElement.tagName === "THEAD" || [...tr.cells].every((c) => c.tagName === "TH");
    const cells = (tr) => [...tr.cells].map(text);
    const header = rows.find(isHeader);
    return { found: { headers: header ? cells(header) : [], rows: rows.filter((r) => !isHeader(r)).map(cells) } };
  };

  // The nearest scrolling ancestor of a table: what a person scrolls to move through it.
  const scrollerOf = (t) => {
    for (let el = t.parentElement; el; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && el.scrollHeight > el.clientHeight) return el;
    }
    return null;
  };

  const tableScroller = (name) => {
    const t = table(name);
    if (!t.found) return t;
    const found = scrollerOf(t.found);
    return found ? { found } : { missing: "the table is in no scroll container of its own" };
  };

  // How many rows a table says it has (aria-rowcount, which counts its header row; null when it
  // does not say), how many of its body rows are in the DOM, their aria-rowindex values, and
  // which of those rows the table shows: wholly inside its scroll container's viewport, below
  // its header, which may stick to the top (the browser's viewport when it has no container).
  const tableSize = (name) => {
    const t = table(name);
    if (!t.found) return t;
    const count = t.found.getAttribute("aria-rowcount");
    const body = [...t.found.tBodies].flatMap((b) => [...b.rows]);
    const scroller = scrollerOf(t.found);
    const view = scroller ? scroller.getBoundingClientRect() : { top: 0, bottom: innerHeight };
    const head = t.found.tHead ? t.found.tHead.getBoundingClientRect().bottom : view.top;
    const top = Math.max(view.top, head);
    const bottom = scroller ? view.top + scroller.clientTop + scroller.clientHeight : view.bottom;
    const index = (r) => Number(r.getAttribute("aria-rowindex"));
    return {
      found: {
        rowCount: count === null ? null : Number(count),
        rendered: body.length,
        indexes: body.map(index),
        inView: body
          .filter((r) => {
            const box = r.getBoundingClientRect();
            return box.top >= top - 1 && box.bottom <= bottom + 1;
          })
          .map(index),
      },
    };
  };

  // Text a person can see, plus the values of text fields (a token in a read-only textarea).
  const visibleText = () => {
    const fields = [...document.querySelectorAll("input, textarea")]
      .filter((f) => visible(f) && f.type !== "password" && f.type !== "checkbox")
      .map((f) => f.value);
    return { found: [text(document.body), ...fields].join("\n") };
  };

  // What a person reads: the rendered text (innerText leaves out hidden elements and closed
  // <details>), plus the placeholders and tooltips of visible elements, which it does not hold.
  const readableText = () => {
    const extra = [...document.querySelectorAll("[placeholder], [title]")]
      .filter(visible)
      .flatMap((el) => [el.getAttribute("placeholder"), el.getAttribute("title")])
      .filter(Boolean);
    return { found: [document.body.innerText, ...extra].join("\n") };
  };

  const describe = () => {
    const part = (sel) => {
      const el = document.querySelector(sel);
      return el ? text(el) : "";
    };
    const alerts = withRole("alert").map(text).filter(Boolean);
    const main = part("main") || text(document.body);
    const lines = [
      `URL ${location.pathname}${location.search}`,
      `header: ${part("header")}`,
      alerts.length ? `alerts: ${list(alerts)}` : "",
      `main: ${main.length > 2500 ? main.slice(0, 2500) + "…" : main}`,
    ];
    return { found: lines.filter(Boolean).join("\n  ") };
  };

  return { control, value, option, button, enabledButton, buttonState, countButtons, link, roleTexts, heading, tableData, tableSize, tableScroller, visibleText, readableText, describe };
})();
