import { registerDecorator } from 'class-validator';

/** Rejects strings that are empty once trimmed ("   " is not a name). */
export function IsNotBlank(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must not be blank' },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 },
    });
}

/** Properties (per input class prototype) that hold several lines of text: line breaks and tabs are allowed there. */
const MULTI_LINE = new WeakMap<object, Set<string>>();

/** Marks a field as multi-line text (an email body): the one place line breaks and tabs may appear. */
export function MultiLineText(): PropertyDecorator {
  return (target, propertyName) => {
    const properties = MULTI_LINE.get(target) ?? new Set<string>();
    properties.add(String(propertyName));
    MULTI_LINE.set(target, properties);
  };
}

export function isMultiLineText(owner: object, property: string): boolean {
  return MULTI_LINE.get(Object.getPrototypeOf(owner))?.has(property) === true;
}
