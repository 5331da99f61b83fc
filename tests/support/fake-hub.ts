/**
 * A local stand-in for WebSub hubs, so tests never reach the internet. Miniflare routes
 * every outbound fetch of the Worker under test here (`outboundService`):
 *   http://hub.test/            records publish pings, answers 202
 *   http://failing-hub.test/    always answers 503 (and records the try)
 *   http://hub.test/__calls     GET: the recorded pings as JSON
 * Anything else is refused, which also proves nothing else is fetched.
 */
export interface HubCall {
  hub: string;
  mode: string | null;
  topics: string[];
}

const calls: HubCall[] = [];

export async function fakeHub(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === "hub.test" && url.pathname === "/__calls") return Response.json(calls);
  if (
    (url.hostname === "hub.test" || url.hostname === "failing-hub.test") &&
    request.method === "POST"
  ) {
    const form = new URLSearchParams(await request.text());
    calls.push({ hub: url.origin, mode: form.get("hub.mode"), topics: form.getAll("hub.url") });
    return new Response(null, { status: url.hostname === "hub.test" ? 202 : 503 });
  }
  return new Response(`fake network: no route to ${request.url}`, { status: 502 });
}
