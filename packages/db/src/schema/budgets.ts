import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

/**
 * What the governor learned about a budget key (Exact host + division) and has used of the day, persisted so that
 * losing Redis does not reset the day's count to zero or forget limits learned from Exact's headers.
 */
export const rateBudgets = pgTable('rate_budgets', {
  budgetKey: text('budget_key').primaryKey(),
  minuteLimit: integer('minute_limit'),
  dayLimit: integer('day_limit'),
  dayRemaining: integer('day_remaining'),
  dayResetAt: tstz('day_reset_at'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
