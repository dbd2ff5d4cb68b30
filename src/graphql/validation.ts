import { validate, type ValidationError } from 'class-validator';
import { getNamedType, OperationTypeNode, type GraphQLResolveInfo } from 'graphql';
import type { ValidatorFn } from 'type-graphql';
import { badInput, type InputProblem } from './errors';
import { isMultiLineText } from './validators';

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

/**
 * What must not be in any string argument, so that no name, email or address can look
 * like another's or hide what it says: control characters (tabs and line breaks too, except in
 * the email bodies marked MultiLineText; NUL is also what PostgreSQL text cannot hold), format
 * characters (zero-width, bidi controls, soft hyphen, BOM), what Unicode tells renderers
 * to ignore (variation selectors, Hangul fillers), the braille blank, line and paragraph
 * separators, lone surrogates, and private-use or unassigned code points, whose look and
 * normal form nobody can promise.
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** An input or args object, or a list of them: what the walks below descend into. */
function isComposite(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

function invisibleCharacterProblems(value: unknown, path: (string | number)[], multiLine = false): InputProblem[] {
  if (typeof value === 'string') {
    const found = INVISIBLE_OR_CONTROL.exec(multiLine ? value.replace(/\r?\n|\t/g, ' ') : value);
    if (!found) return [];
    const message = `must not contain invisible or control characters (${codePointName(found[0])})`;
    return [{ argumentPath: path, message }];
  }
  if (!isComposite(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    invisibleCharacterProblems(item, [...path, Array.isArray(value) ? Number(key) : key], isMultiLineText(value, key)),
  );
}

/**
 * GraphQL lets a client send null for an optional argument or input field. To every
 * resolver of ours that means the same as leaving it out, so it arrives as absent and
 * the resolvers, typed for absence, need not tell the two apart. (A null in a list is
 * an item, not an absence, and stays.)
 */
function nullAsAbsent(value: object): void {
  for (const [key, item] of Object.entries(value)) {
    if (item === null && !Array.isArray(value)) Reflect.set(value, key, undefined);
    else if (isComposite(item)) nullAsAbsent(item);
  }
}

/**
 * A nested field with arguments is resolved once per parent: a page of fifty customers
 * asks for `orders(first: 5)` fifty times over. Validation is a pure function of the
 * value, so a query's arguments that passed once pass again: they are remembered per
 * args or input class, as their JSON, when that is short, up to a bound.
 */
const passedBefore = new WeakMap<object, Set<string>>();
const REMEMBERED_PER_CLASS = 1_000;
const REMEMBERED_LENGTH = 200;

function rememberedKey(argValue: object, argType: unknown, info: GraphQLResolveInfo): string | undefined {
  if (typeof argType !== 'function' || info.operation.operation !== OperationTypeNode.QUERY) return undefined;
  const key = JSON.stringify(argValue);
  return key.length <= REMEMBERED_LENGTH ? key : undefined;
}

function remember(argType: object, key: string): void {
  let passed = passedBefore.get(argType);
  if (!passed) passedBefore.set(argType, (passed = new Set()));
  if (passed.size < REMEMBERED_PER_CLASS) passed.add(key);
}

/**
 * type-graphql's validation hook: explicit nulls become absent, then class-validator runs
 * on every input and args class and every string is checked for invisible characters, the
 * problems reported as one BAD_USER_INPUT naming each offending argument path. It runs
 * before the resolver, so invalid input never reaches a write.
 */
export const validateArguments: ValidatorFn = async (argValue, argType, { info }) => {
  if (!isComposite(argValue)) return;
  nullAsAbsent(argValue);
  const key = rememberedKey(argValue, argType, info);
  if (key !== undefined && passedBefore.get(argType as object)?.has(key)) return;
  const prefix = argumentPrefix(argType, info);
  // Absent optional arguments are left to GraphQL's own nullability checks.
  const errors = await validate(argValue, {
    skipMissingProperties: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  const problems = [...invisibleCharacterProblems(argValue, prefix), ...problemsOf(errors, prefix)];
  if (problems.length > 0) throw badInput(...(problems as [InputProblem, ...InputProblem[]]));
  if (key !== undefined) remember(argType as object, key);
};
