import { z } from 'zod';

/**
 * Money and quantities travel as decimal strings (`"19.95"`, `"2"`, `"0.5"`), never as JSON numbers, so no client
 * rounds them through a binary float. Exact stores quantities and prices as `Edm.Double`, which keeps 15 significant
 * decimal digits exactly; this service takes at most `DECIMAL_SCALE` decimals and `DECIMAL_DIGITS` digits before the
 * point (13 digits), so every accepted value reaches Exact unchanged. Anything finer is refused (a 400 naming the field), not rounded: a shop learns of it at
 * once rather than finding another amount in Exact.
 */
export const DECIMAL_SCALE = 4;
const DECIMAL_DIGITS = 9;

const SHAPE = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** A decimal string in this service's bounds: `positive` refuses zero too. */
export function decimal(options: { positive?: boolean } = {}) {
  return z
    .string('must be a decimal string such as "19.95"')
    .regex(
      SHAPE,
      'must be a decimal string such as "19.95" (digits, an optional "." and decimals; no sign or exponent)',
    )
    .refine((value) => (value.split('.')[1]?.length ?? 0) <= DECIMAL_SCALE, {
      error: `must have at most ${DECIMAL_SCALE} decimals`,
    })
    .refine((value) => (value.split('.')[0]?.length ?? 0) <= DECIMAL_DIGITS, {
      error: `must have at most ${DECIMAL_DIGITS} digits before the decimal point`,
    })
    .refine((value) => !options.positive || /[1-9]/.test(value), { error: 'must be greater than 0' })
    .meta({
      pattern: `^(0|[1-9][0-9]{0,${DECIMAL_DIGITS - 1}})(\\.[0-9]{1,${DECIMAL_SCALE}})?$`,
      examples: ['2', '19.95'],
    });
}

/** An ISO 4217 currency code. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code (three capital letters)')
  .meta({ examples: ['EUR'] });

/** A decimal as answers give it: a string (`"10.5"`), never a JSON number. */
export const decimalAnswer = z.string().meta({ description: 'a decimal string', examples: ['10.5'] });

/**
 * Postgres numerics as answers give them: the stored decimal without trailing zeros (`"12.3400"` is `"12.34"`,
 * `"2.0"` is `"2"`). Postgres never writes an exponent, so the digits are exact.
 */
export function decimalText(value: string): string;
export function decimalText(value: string | null): string | null;
export function decimalText(value: string | null): string | null {
  if (value === null) return null;
  if (!value.includes('.')) return value;
  return value.replace(/0+$/, '').replace(/\.$/, '');
}
