import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";

/**
 * The client's real `send`, whatever other specs do: a spec that calls `mockClient(CloudWatchClient)`
 * when its file loads (test/functions/video/pipeline.spec.ts) stubs `CloudWatchClient.prototype.send`
 * for the whole mocha process. The base class's `send` is the SDK's own, untouched by that stub.
 */
export function unmocked(client: CloudWatchClient): Pick<CloudWatchClient, "send"> {
  const send = Object.getPrototypeOf(CloudWatchClient.prototype).send as (this: CloudWatchClient, command: unknown) => Promise<unknown>;
  return { send: ((command: unknown) => send.call(client, command)) as CloudWatchClient["send"] };
}

