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

/** Why the template may not be used, or undefined when it may. */
export function templateProblem(template: string): string | undefined {
  const known = template.replace(PLACEHOLDER, (whole, name: string) => (isPlaceholder(name) ? '' : whole));
  const unknown = known.match(/\{\{[^}]{0,40}(\}\})?/);
  if (!unknown) return undefined;
  return `only {{firstName}}, {{fullName}} and {{unsubscribeUrl}} are filled in; "${unknown[0]}" is not one of them`;
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
