import { registerDecorator } from 'class-validator';
import { SYSTEM_CHANNEL } from '../../consents/consent-vocabulary';

/** Refuses the SYSTEM channel in input: only the gateway itself records changes there. */
export function IsCallerChannel(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCallerChannel',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'SYSTEM is recorded by the gateway itself, never given' },
      validator: { validate: (value: unknown) => value !== SYSTEM_CHANNEL },
    });
}
