// A TypeScript application using the SDK, compiled with `tsc --noEmit` against the package's
// generated .d.ts (tests/sdk-package.test.mjs). Every `@ts-expect-error` line is a misuse the
// types must refuse: if a type were loosened to `any`, that line would stop being an error and
// tsc would fail on the unused directive.
import init, {
  createBroadcastClient,
  type BroadcastClient,
  type BroadcastClientOptions,
  type BroadcastError,
  type ConnectionState,
  type EventMeta,
  type Member,
  type StateChange,
  type WhisperMeta,
} from 'broadcast-client';

interface Headline {
  text: string;
}

export async function main(fetchToken: () => Promise<string>): Promise<void> {
  await init();

  const options: BroadcastClientOptions = {
    initialDelay: 500,
    maxDelay: 20_000,
    maxRetries: null,
    minUptime: 5000,
    connectionTimeout: 8000,
    heartbeatInterval: 25_000,
    heartbeatTimeout: 10_000,
    maxQueued: 50,
    autoConnect: true,
  };

  // The three forms of the URL factory.
  const fixed: BroadcastClient = createBroadcastClient('/ws/channel/news');
  const computed = createBroadcastClient(() => `/ws/channel/news?t=${Date.now()}`, options);
  const withToken = createBroadcastClient(
    async () => `/ws/channel/private-orders?token=${await fetchToken()}`,
  );

  const socketId: string = await withToken.ready();
  const state: ConnectionState = withToken.state;
  const maybeId: string | undefined = withToken.socketId;
  const channel: string | undefined = withToken.channel;
  console.log(socketId, state, maybeId, channel);

  const stop: () => void = fixed.on('headline', (data: unknown, meta: EventMeta) => {
    const headline = data as Headline;
    console.log(meta.channel, meta.event, headline.text);
  });
  stop();
  fixed.once('headline', (data) => console.log(data));
  fixed.onAny((_data, meta) => console.log(meta.event));
  fixed.listenForWhisper('typing', (_data, meta: WhisperMeta) => console.log(meta.from));
  fixed.onStateChange((change: StateChange) => {
    if (change.state === 'reconnecting') console.log(change.attempt, change.delay, change.reason);
  });
  fixed.onError((error: BroadcastError) => {
    const code: number | string = error.code;
    console.log(code, error.message);
  });

  fixed.listenForWhisper('wave', (_data, meta) => console.log(meta.user ?? 'someone'));
  const members: Member[] = withToken.members;
  console.log(members.map((member) => member.id));
  withToken.onHere((everyone: Member[]) => console.log(everyone.length));
  withToken.onJoin((member: Member) => console.log(member.id, member.info));
  withToken.onLeave((member) => console.log(member.id));

  const outcome: 'sent' | 'queued' = computed.whisper('news', 'typing', { user: 'ada' });
  console.log(outcome);
  computed.connect();
  computed.reconnect();
  computed.close();
  fixed.free();

  // @ts-expect-error the factory must produce a string
  createBroadcastClient(() => 42);
  // @ts-expect-error a URL, not a number
  createBroadcastClient(8787);
  // @ts-expect-error misspelt option
  createBroadcastClient('/ws/channel/news', { initalDelay: 100 });
  // @ts-expect-error options are numbers
  createBroadcastClient('/ws/channel/news', { maxDelay: '30s' });
  // @ts-expect-error the state is one of five names
  const wrong: ConnectionState = 'connected';
  console.log(wrong);
  // @ts-expect-error listeners receive metadata, not a string
  fixed.on('headline', (_data, meta: string) => console.log(meta));
  // @ts-expect-error data is unknown until the application checks it
  fixed.on('headline', (data) => console.log(data.text));
  // @ts-expect-error a member's id is a string
  withToken.onJoin((member) => Math.abs(member.id));
  // @ts-expect-error socketId is read-only
  fixed.socketId = 'forged';
}
