import { validate, type ValidationError } from 'class-validator';
import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import type { ValidatorFn } from 'type-graphql';
import { badInput, type InputProblem } from './errors';

function problemsOf(errors: ValidationError[], path: (string | number)[]): InputProblem[] {
  return errors.flatMap((error) => {
    const here = [...path, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    // class-validator starts its messages with the property name, which the path already gives.
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      argumentPath: here,
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...problemsOf(error.children ?? [], here)];
  });
}

/** The argument an input class arrived in; args classes (@ArgsType) are the arguments themselves. */
function argumentPrefix(argType: unknown, info: GraphQLResolveInfo): string[] {
  if (typeof argType !== 'function') return [];
  const field = info.parentType.getFields()[info.fieldName];
  const arg = field?.args.find((candidate) => getNamedType(candidate.type).name === argType.name);
  return arg ? [arg.name] : [];
}

/** PostgreSQL text cannot hold NUL; such input is refused here rather than failing in SQL. */
function nulProblems(value: unknown, path: (string | number)[]): InputProblem[] {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? [{ argumentPath: path, message: 'must not contain a NUL character' }] : [];
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    nulProblems(item, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}

/**
 * type-graphql's validation hook: class-validator on every input and args class, the
 * problems reported as one BAD_USER_INPUT naming each offending argument path. It runs
 * before the resolver, so invalid input never reaches a write.
 */
export const validateArguments: ValidatorFn = async (argValue, argType, { info }) => {
  if (argValue === null || typeof argValue !== 'object' || argValue instanceof Date) return;
  const prefix = argumentPrefix(argType, info);
  // Absent optional arguments are left to GraphQL's own nullability checks.
  const errors = await validate(argValue, {
    skipMissingProperties: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  const problems = [...nulProblems(argValue, prefix), ...problemsOf(errors, prefix)];
  if (problems.length > 0) throw badInput(...(problems as [InputProblem, ...InputProblem[]]));
};
