/**
 * The small self-contained HTML the unsubscribe and preference pages are made of: no
 * scripts, no external assets, nothing to fetch, nothing that could leak the token.
 * Every value is escaped here; callers pass plain text.
 */

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** Vietnamese first, English second, each marked with its language. */
export interface Bilingual {
  vi: string;
  en: string;
}

/** A short phrase in both languages on one line, e.g. a button or a label. */
export function inline({ vi, en }: Bilingual): string {
  return `<span lang="vi">${escapeHtml(vi)}</span> · <span lang="en">${escapeHtml(en)}</span>`;
}

/** A paragraph in each language, each in a section of its own. */
export function paragraphs({ vi, en }: Bilingual): string {
  return `
    <section lang="vi"><p>${escapeHtml(vi)}</p></section>
    <section lang="en"><p>${escapeHtml(en)}</p></section>`;
}

/** Hidden inputs carrying the form's values (the token among them), escaped. */
export function hiddenFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

const STYLE = `
    body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
    section + section { margin-top: 1.5rem; padding-top: 1.5rem; border-top: 1px solid #ddd; }
    button { font-size: 1rem; padding: .6rem 1.2rem; border: 0; border-radius: .3rem; background: #b03a2e; color: #fff; cursor: pointer; }
    .brand { font-size: 1.4rem; font-weight: bold; }
    .topics ul { list-style: none; padding: 0; }
    .topics li { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: .5rem 0; border-bottom: 1px solid #eee; }
    .topics button { background: #fff; color: #222; border: 1px solid #888; padding: .3rem .8rem; }
    .state { font-size: .9rem; color: #555; }
    .registration { margin-top: 2.5rem; padding: 1rem; border: 2px solid #b03a2e; border-radius: .3rem; }
    .registration button.open { background: #fff; color: #b03a2e; border: 2px solid #b03a2e; }
    .secondary { background: #fff; color: #222; border: 1px solid #888; }
    footer { margin-top: 2rem; font-size: .9rem; color: #555; }`;

/** The document around a page's body; `lang="vi"` as Vietnamese comes first. */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${escapeHtml(title)}</title>
  <style>${STYLE}
  </style>
</head>
<body>
  <main>${body}
  </main>
</body>
</html>
`;
}
