export { pingRedis, producerRedis, workerRedis } from './connection.ts';
export { bullPrefix, closeQueues, createQueues, enqueue, enqueueMany, type Queues } from './queues.ts';
