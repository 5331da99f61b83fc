/**
 * Baseline Worker for the HTTP benchmark: answers with a fixed response, doing no other
 * work. Bundled by the same wrangler and run by the same Miniflare/workerd as the real
 * Worker, it shows what serving that response costs on this machine, so "ours /
 * baseline" isolates the cost of our own code (routing, the document lookup, conditional
 * GET, building headers) from the cost of the stack and the load generator.
 *
 * The bench first registers, per target, the very response our Worker sent: status,
 * headers and body bytes (PUT /__response?key=K), then loads GET /?key=K. Why the whole
 * response and not only a body of the same size: on a 2-core machine the load generator
 * is as busy as the Worker, and autocannon decodes every body chunk into a string
 * (`req.body += data`, lib/pipelinedRequestsQueue.js), so its own cost depends on the
 * bytes and on how they arrive. Measured on the development machine, a 370 KiB response
 * ran at 1,000 req/s as ASCII and 290–530 as the same number of Arabic bytes, and with
 * Arabic bytes anywhere from 290 to 1,000 req/s depending on a few bytes of header
 * length. A baseline that differs from ours in either measures autocannon, not our code.
 */
interface FixedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array | null;
}

const responses = new Map<string, FixedResponse>();

/** Header names workerd writes itself from the body; copying them would be wrong. */
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

async function register(request: Request, key: string): Promise<Response> {
  const status = Number(request.headers.get("X-Bench-Status") ?? "200");
  const headers = JSON.parse(
    decodeURIComponent(request.headers.get("X-Bench-Headers") ?? "%5B%5D"),
  ) as [string, string][];
  const bytes = new Uint8Array(await request.arrayBuffer());
  responses.set(key, {
    status,
    headers: headers.filter(([name]) => !FRAMING.has(name.toLowerCase())),
    // A 304 has no body (RFC 9110 §15.4.5).
    body: status === 304 ? null : bytes,
  });
  return new Response(null, { status: 204 });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const key = url.searchParams.get("key") ?? "";
    if (request.method === "PUT" && url.pathname === "/__response") return register(request, key);
    const fixed = responses.get(key);
    if (!fixed) return new Response(`no response registered under "${key}"`, { status: 404 });
    return new Response(fixed.body, { status: fixed.status, headers: fixed.headers });
  },
};
