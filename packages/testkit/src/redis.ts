import { Redis } from 'ioredis';
import { testRedisUrl } from './services.ts';

/** Deletes every key that starts with `prefix` (a test's BullMQ or governor prefix) from the test Redis. */
export async function deleteRedisKeys(prefix: string, url = testRedisUrl()): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
