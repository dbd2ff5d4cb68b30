/**
 * Campaign templates: the only words the gateway fills in are {{firstName}}, {{fullName}}
 * and {{unsubscribeUrl}}. Any other `{{` is refused when the campaign is scheduled, and
 * values are put in once (a value that itself looks like a placeholder stays as it is)
 * and HTML-escaped in the HTML part.
 */
export const PLACEHOLDERS = ['firstName', 'fullName', 'unsubscribeUrl'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** What may stand next to a placeholder in the same word: punctuation, never part of a URL or an address. */
const BESIDE_A_PLACEHOLDER = /^[.,!?;:'"()«»…\-–—]*$/;
/** The one place a value may sit inside a tag: the unsubscribe link as a link's whole target. */
const UNSUBSCRIBE_HREF = /href="\{\{\s*unsubscribeUrl\s*\}\}"/g;

/**
 * A placeholder glued into a URL (`https://elsewhere/?n={{fullName}}`, `<img src="…{{firstName}}">`)
 * would carry the person's name or link to whoever serves that URL, the moment the mail
 * is opened or clicked: the name would leave the gateway after all. So each placeholder
 * must stand as a word of its own, and in HTML outside any tag, except `href="{{unsubscribeUrl}}"`.
 */
function placementProblem(template: string, format: 'text' | 'html'): string | undefined {
  // `{{ firstName }}` is one word, as it is one placeholder.
  let text = template.replace(PLACEHOLDER, '{{$1}}');
  if (format === 'html') {
    const withoutLink = text.replace(UNSUBSCRIBE_HREF, 'href=""');
    if ((withoutLink.match(/<[^>]*>/g) ?? []).some((tag) => tag.includes('{{'))) {
      return 'placeholders may not stand inside a tag, except as href="{{unsubscribeUrl}}"';
    }
    text = withoutLink.replace(/<[^>]*>/g, ' ');
  }
  const words = text.split(/\s+/).filter((word) => word.includes('{{'));
  const glued = words.find((word) => !BESIDE_A_PLACEHOLDER.test(word.replace(PLACEHOLDER, '')));
  return glued === undefined ? undefined : `a placeholder must stand as a word of its own, not inside "${glued}"`;
}

/** Why the template may not be used, or undefined when it may. */
export function templateProblem(template: string, format: 'text' | 'html'): string | undefined {
  const known = template.replace(PLACEHOLDER, (whole, name: string) => (isPlaceholder(name) ? '' : whole));
  const unknown = known.match(/\{\{[^}]{0,40}(\}\})?/);
  if (unknown) {
    return `only {{firstName}}, {{fullName}} and {{unsubscribeUrl}} are filled in; "${unknown[0]}" is not one of them`;
  }
  return placementProblem(template, format);
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Fills a checked template in one pass; `html` escapes each value. */
export function renderTemplate(template: string, values: TemplateValues, format: 'text' | 'html'): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isPlaceholder(name)) return whole;
    return format === 'html' ? escapeHtml(values[name]) : values[name];
  });
}

/** The Vietnamese given name is the last word of the full name: Bích in Trần Thị Bích. */
export function givenName(fullName: string): string {
  return fullName.trim().split(/\s+/).at(-1) ?? '';
}
