/** BullMQ queue names: `sync` is rate-limited by the budget governor, `orders` is the priority lane. */
export const QUEUE_NAMES = ['sync', 'orders'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
