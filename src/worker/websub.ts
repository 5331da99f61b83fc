/**
 * WebSub publishing: tell each hub which topics (feed URLs) changed, so subscribers
 * learn within seconds instead of at their next poll. The W3C WebSub recommendation
 * leaves the publisher→hub ping to the hub; `hub.mode=publish` with `hub.url` is what
 * the common hubs (Google's PubSubHubbub, WebSub.rocks, Superfeedr) accept. One request
 * per hub per change, carrying every changed topic; retried with exponential backoff;
 * a failure is logged and never fails the publish.
 */

export interface NotifyOptions {
  /** Total tries per hub, the first included. */
  attempts: number;
  /** Delay before the first retry; doubled after each. */
  baseDelayMs: number;
}

export const DEFAULT_NOTIFY: NotifyOptions = { attempts: 4, baseDelayMs: 1000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function notifyHub(hub: string, topics: string[], options: NotifyOptions): Promise<boolean> {
  const body = new URLSearchParams([
    ["hub.mode", "publish"],
    ...topics.map((t) => ["hub.url", t] as [string, string]),
  ]);
  let reason = "";
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const response = await fetch(hub, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
      // Hubs answer 202 Accepted (or 204/200); the body is not needed.
      await response.body?.cancel();
      if (response.ok) return true;
      reason = `HTTP ${response.status}`;
    } catch (error) {
      reason = (error as Error).message;
    }
    if (attempt < options.attempts) await sleep(options.baseDelayMs * 2 ** (attempt - 1));
  }
  console.error(
    `WebSub: hub ${hub} was not notified of ${topics.join(" ")} after ${options.attempts} tries: ${reason}`,
  );
  return false;
}

/** Notifies every hub; resolves to the hubs that could not be notified. */
export async function notifyHubs(
  hubs: string[],
  topics: string[],
  options = DEFAULT_NOTIFY,
): Promise<string[]> {
  if (hubs.length === 0 || topics.length === 0) return [];
  const results = await Promise.all(hubs.map((hub) => notifyHub(hub, topics, options)));
  return hubs.filter((_, i) => !results[i]);
}
