export {
  type CallbackPolicy,
  type CallbackRefusal,
  type CallbackTarget,
  CallbackTargetError,
  type HostResolver,
  resolveCallbackTarget,
} from './callback-target.ts';
export { type CallbackRequest, postToCallback } from './post-to-callback.ts';
