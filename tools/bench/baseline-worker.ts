/**
 * Baseline Worker for the HTTP benchmark: answers with a fixed byte string of a given
 * size, status and Content-Type, doing no other work. Bundled by the same wrangler and
 * run by the same Miniflare/workerd as the real Worker, it shows what serving that many
 * bytes costs on this machine, so "ours / baseline" isolates the cost of our own code
 * (routing, one KV read, headers, conditional GET) from the cost of the stack and the
 * load generator.
 *
 *   GET /?bytes=393216&type=application%2Frss%2Bxml%3B%20charset%3Dutf-8&status=200
 *
 * Bodies are built once per size and reused: building them is not what is measured. The
 * bench first registers the exact bytes our Worker served (PUT /__body?bytes=N), because
 * what the local transport costs depends on the bytes themselves, not only on their
 * number (see http-bench.ts).
 */
const bodies = new Map<number, Uint8Array>();

function bodyOf(size: number): Uint8Array {
  let body = bodies.get(size);
  if (!body) {
    body = new Uint8Array(size).fill(0x61); // "a"
    bodies.set(size, body);
  }
  return body;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const query = url.searchParams;
    // The bench registers the exact bytes our Worker served, once per target.
    if (request.method === "PUT" && url.pathname === "/__body") {
      bodies.set(Number(query.get("bytes")), new Uint8Array(await request.arrayBuffer()));
      return new Response(null, { status: 204 });
    }
    const bytes = Number(query.get("bytes") ?? "0");
    const status = Number(query.get("status") ?? "200");
    const type = query.get("type") ?? "application/octet-stream";
    // A 304 has no body (RFC 9110 §15.4.5); the real one still carries its validators.
    if (status === 304) return new Response(null, { status, headers: { ETag: '"baseline"' } });
    return new Response(bodyOf(bytes), { status, headers: { "Content-Type": type } });
  },
};
