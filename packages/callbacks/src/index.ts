export {
  type CallbackPolicy,
  type CallbackRefusal,
  /** @public for the worker's callback delivery, with postToCallback */
  type CallbackTarget,
  CallbackTargetError,
  resolveCallbackTarget,
} from './callback-target.ts';
export {
  /** @public for the worker's callback delivery */
  type CallbackRequest,
  /** @public for the worker's callback delivery (the outbox `order_callbacks`) */
  postToCallback,
} from './post-to-callback.ts';
export {
  callbackSecretContext,
  generateCallbackSecret,
  SIGNATURE_HEADER,
  signatureHeader,
} from './signature.ts';
