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
