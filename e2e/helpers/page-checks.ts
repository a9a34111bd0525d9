import type { Page } from 'playwright-core';

/**
 * What a page must never do, whatever its content: be wider than the window (WCAG 1.4.10),
 * repeat an id (4.1.1; a label would name the wrong field), give one name to links that go to
 * different places (2.4.4), put a "Zmień" link in a heading, promise several files under a
 * single-file input, show Polish dates or day names on an English page, or hide the keyboard focus
 * (2.4.7) or show it with less than 3:1 contrast (1.4.11). Returns one line per problem.
 *
 * Focus: one real Tab press puts the browser in keyboard mode (so `:focus-visible` applies as
 * it would for a keyboard user), then every focusable element is focused in turn and its
 * focused look compared with its unfocused look. The indicator is what changed — outline,
 * box-shadow, background (for radios and checkboxes, the label's drawn box) — and at least one
 * of its colours must reach 3:1 against the colour around the element or the element's own.
 * `focus: false` leaves the focus out (the pages' styles, and so their focus, are the same in
 * every language).
 */
export async function pageProblems(page: Page, options: { focus?: boolean } = {}): Promise<string[]> {
  const focus = options.focus ?? true;
  if (focus) await page.keyboard.press('Tab');
  // tsx compiles named functions with a `__name` helper the page does not have.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate((focus) => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth)
      problems.push(`page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);

    const ids = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll('[id]'))) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
    for (const [id, count] of ids) if (count > 1) problems.push(`id "${id}" used ${count} times`);

    // 2.4.4 / 2.4.6: a link's name says where it goes; two places, two names.
    const linkName = (a: HTMLAnchorElement) =>
      (a.getAttribute('aria-label') ?? a.textContent ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
    const targets = new Map<string, Set<string>>();
    for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[href]'))) {
      const key = linkName(a);
      if (!targets.has(key)) targets.set(key, new Set());
      targets.get(key)!.add(a.href);
    }
    for (const [key, hrefs] of targets)
      if (hrefs.size > 1) problems.push(`${hrefs.size} links named "${key}" go to different places`);
    for (const a of Array.from(document.querySelectorAll('h1 a, h2 a, h3 a, h4 a, h5 a, h6 a')))
      if (/^(zmień|change)\b/i.test(linkName(a as HTMLAnchorElement)))
        problems.push(`a "${linkName(a as HTMLAnchorElement)}" link inside a heading`);

    // A hint about several files only where several files can be chosen.
    for (const input of Array.from(document.querySelectorAll('input[type=file]:not([multiple])'))) {
      const hint = (input.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
        .join(' ');
      if (/kilka plików|several files/i.test(hint))
        problems.push(`the single-file input #${input.id} says several files can be added`);
    }

    // English pages speak English about dates and days: no Polish months, day names or dates
    // (text marked lang="pl", such as a letter's Polish title, is left alone).
    if (doc.lang === 'en') {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const polish =
        /\b(stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|pon\.|wt\.|czw\.|pt\.|sob\.|niedz\.)(?=\s|$|[,;)])|\b\d{2}\.\d{2}\.\d{4}\b/;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        if (node.parentElement?.closest('[lang]:not(html)')?.getAttribute('lang')?.startsWith('pl')) continue;
        const found = polish.exec(text);
        if (found)
          problems.push(`Polish date or day "${found[0]}" on an English page: "${text.trim().slice(0, 60)}"`);
      }
    }

    if (!focus) return problems;

    type Rgba = [number, number, number, number];
    const parse = (colour: string): Rgba[] =>
      [...colour.matchAll(/rgba?\(([^)]+)\)/g)].map((m) => {
        const [r, g, b, a] = m[1]!
          .split(/[ ,/]+/)
          .filter(Boolean)
          .map(Number);
        return [r!, g!, b!, a ?? 1];
      });
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const contrast = (a: Rgba, b: Rgba) => {
      const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (l1! + 0.05) / (l2! + 0.05);
    };
    /** The opaque colour behind an element: the first ancestor with a background. */
    const backdrop = (el: Element | null): Rgba => {
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor)[0];
        if (bg && bg[3] > 0.5) return bg;
      }
      return [255, 255, 255, 1];
    };
    /** The colours an element draws with: outline, shadows, background, border. */
    const look = (el: Element, pseudo?: string) => {
      const s = getComputedStyle(el, pseudo);
      const outline =
        s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? parse(s.outlineColor) : [];
      return {
        key: [
          s.outlineStyle,
          s.outlineWidth,
          s.outlineColor,
          s.boxShadow,
          s.backgroundColor,
          s.borderColor,
          s.borderWidth,
          s.textDecorationLine,
        ].join('|'),
        colours: [
          ...outline,
          ...(s.boxShadow === 'none' ? [] : parse(s.boxShadow)),
          ...parse(s.backgroundColor),
          ...(parseFloat(s.borderWidth) > 0 ? parse(s.borderColor) : []),
        ].filter((c) => c[3] > 0.5),
        own: [...parse(s.backgroundColor), ...parse(s.borderColor), ...parse(s.color)].filter(
          (c) => c[3] > 0.5,
        ),
      };
    };
    const selector =
      'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    (document.activeElement as HTMLElement | null)?.blur();
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      // Radios and checkboxes are drawn by their label; the input itself is transparent.
      const drawn =
        el.matches('.govuk-radios__input, .govuk-checkboxes__input') && el.nextElementSibling
          ? { target: el.nextElementSibling, pseudo: '::before' }
          : { target: el, pseudo: undefined };
      const box = el.getBoundingClientRect();
      const hidden =
        (box.width === 0 && box.height === 0 && !el.matches('.govuk-skip-link')) ||
        getComputedStyle(el).visibility === 'hidden' ||
        el.closest('details:not([open]) > :not(summary)') !== null;
      if (hidden) continue;
      const before = look(drawn.target, drawn.pseudo);
      el.focus();
      if (document.activeElement !== el) continue;
      const after = look(drawn.target, drawn.pseudo);
      el.blur();
      if (after.key === before.key) {
        problems.push(`no visible focus on ${name(el)}`);
        continue;
      }
      const around = backdrop(el.parentElement);
      const fresh = after.colours.filter((c) => !before.colours.some((b) => b.join() === c.join()));
      const best = Math.max(
        0,
        ...fresh.flatMap((c) => [around, ...before.own].map((other) => contrast(c, other))),
      );
      if (best < 3) problems.push(`focus on ${name(el)} has contrast ${best.toFixed(2)}:1 (needs 3:1)`);
      // The focused text on its focus background must stay readable (WCAG 1.4.3).
      const focusedText = getComputedStyle(el);
      const text = parse(focusedText.color)[0];
      const background = parse(focusedText.backgroundColor).find((c) => c[3] > 0.5);
      if (text && background && el.textContent?.trim() && contrast(text, background) < 4.5)
        problems.push(
          `focused text of ${name(el)} has contrast ${contrast(text, background).toFixed(2)}:1 (needs 4.5:1)`,
        );
    }
    return problems;
  }, focus);
}
