/**
 * The Worker: thin routes over the pure core. Reads are one KV lookup; writes go to the
 * Publisher Durable Object. Errors become responses here and nowhere else.
 */
import { Hono } from "hono/tiny";
import { ConfigError } from "../core/site.ts";
import type { AppEnv } from "./env.ts";
import { ApiError } from "./errors.ts";
import OPENAPI from "./openapi.json";
import { apiRoutes } from "./routes/api.ts";
import { notFound, readRoutes } from "./routes/read.ts";

export { Publisher } from "./publisher.ts";

const app = new Hono<AppEnv>();

// The API's description is public: it names no secret, and integrators read it first.
app.get("/api/openapi.json", (c) =>
  c.json(OPENAPI, 200, { "Cache-Control": "public, max-age=300" }),
);
app.route("/api", apiRoutes);
app.all("/api/*", () => {
  throw new ApiError(404, "not_found", "No such API route; see the README for the routes.");
});
app.route("/", readRoutes);
app.notFound((c) => notFound(c));

app.onError((error, c) => {
  if (error instanceof ApiError) return error.toResponse();
  if (error instanceof ConfigError) {
    console.error(`configuration error: ${error.message}`);
    return c.text(`Configuration error: ${error.message}`, 500);
  }
  console.error("unhandled error", error);
  if (c.req.path.startsWith("/api/")) {
    return Response.json(
      { error: { code: "internal", message: "Internal error; it was logged." } },
      { status: 500 },
    );
  }
  return c.text("Internal error", 500);
});

export default app;
