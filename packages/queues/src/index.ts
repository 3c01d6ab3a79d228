export { pingRedis, producerRedis, workerRedis } from './connection.ts';
export { bullPrefix, closeQueues, createQueues, enqueue, type Queues } from './queues.ts';
