/**
 * Desktop transport: the contract over the preload bridge (window.kvLens). Errors come back as
 * data from the main side and are rethrown here as KvLensError with the same code and message.
 */
import { KvLensError, type ErrorCode } from '../../app/errors';
import type { RequestArgs, RequestChannel, RequestResult } from '../../app/ipc/contract';
import type { BridgeOutcome, KvLensBridge } from '../../app/ipc/bridge';
import type { ApiClient } from './api-client';

/** Wraps the preload bridge as an ApiClient. */
export function createBridgeClient(bridge: KvLensBridge): ApiClient {
  return {
    mode: 'desktop',
    async request<C extends RequestChannel>(channel: C, args: RequestArgs<C>) {
      const call = bridge.requests[channel] as (
        a: RequestArgs<C>,
      ) => Promise<BridgeOutcome<RequestResult<C>>>;
      if (typeof call !== 'function') {
        throw new KvLensError('unsupported', `This window's bridge has no ${channel} function.`);
      }
      const outcome = await call(args);
      if (outcome.ok) return outcome.result;
      throw new KvLensError(outcome.code as ErrorCode, outcome.message);
    },
    on: (channel, listener) => bridge.on(channel, listener),
    onConnection(listener) {
      listener('open');
      return () => {};
    },
    pickDocument: () => bridge.pickDocument(),
    pickModelFolder: () => bridge.pickModelFolder(),
    pathForFile: (file) => bridge.pathForFile(file),
    close() {},
  };
}
