/**
 * An in-memory ApiClient for store and component tests: each request is answered by a handler
 * the test installs, every request is recorded, and the test can emit contract events.
 */
import { KvLensError } from '../../app/errors';
import type {
  EventChannel,
  EventPayload,
  RequestArgs,
  RequestChannel,
  RequestResult,
} from '../../app/ipc/contract';
import type { ApiClient, ConnectionState } from '../api/api-client';
import { ListenerSet } from '../api/listener-set';

type Handler<C extends RequestChannel> = (
  args: RequestArgs<C>,
) => Promise<RequestResult<C>> | RequestResult<C>;

export class ScriptedApi implements ApiClient {
  readonly mode = 'browser' as const;
  readonly calls: { channel: RequestChannel; args: unknown }[] = [];
  private readonly handlers = new Map<RequestChannel, Handler<never>>();
  private readonly events = new ListenerSet<EventChannel>();

  handle<C extends RequestChannel>(channel: C, handler: Handler<C>): this {
    this.handlers.set(channel, handler as unknown as Handler<never>);
    return this;
  }

  async request<C extends RequestChannel>(
    channel: C,
    args: RequestArgs<C>,
  ): Promise<RequestResult<C>> {
    this.calls.push({ channel, args });
    const handler = this.handlers.get(channel) as Handler<C> | undefined;
    if (!handler) throw new KvLensError('unsupported', `${channel} is not scripted in this test.`);
    return handler(args);
  }

  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.events.add(channel, listener);
  }

  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    this.events.emit(channel, payload);
  }

  callsTo(channel: RequestChannel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.args);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    listener('open');
    return () => {};
  }

  pickDocument = async () => null;
  pickModelFolder = async () => null;
  pathForFile = () => '';
  close(): void {}
}
