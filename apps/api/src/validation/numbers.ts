import { z } from 'zod';

/** The largest Postgres `integer` (and Exact's Edm.Int32), e.g. a division number. */
const INT32_MAX = 2_147_483_647;

/** A whole JSON number in [min, max]. */
const boundedInt = (min: number, max: number) =>
  z
    .number('must be a number')
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A whole number in [min, max] given as a query-string parameter. */
export const queryInt = (min: number, max: number) =>
  z.coerce
    .number('must be a number')
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** An Exact division number: positive and an int32, as Exact and the `division` column keep it. */
export const division = boundedInt(1, INT32_MAX);
