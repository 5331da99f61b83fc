/**
 * The part of autocannon 9's programmatic API the benchmark uses. autocannon ships no
 * types and @types/autocannon would be a dependency for a dozen lines; these follow
 * lib/run.js and lib/aggregateResult.js of 9.0.0.
 */
declare module "autocannon" {
  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    pipelining?: number;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    /** Worker threads to spread the connections over (lib/manager.js); 0: this thread. */
    workers?: number;
    /**
     * Requests each connection cycles through; `setupRequest` may rewrite each one. With
     * `workers`, it is the path of a CommonJS module exporting that function.
     */
    requests?: {
      setupRequest?: string | ((request: { path: string }) => { path: string });
      /** Called with each response's status and whole body (lib/requestIterator.js). */
      onResponse?: (status: number, body: string) => void;
    }[];
  }

  /** A histogram summary; latency in milliseconds, requests and throughput per second. */
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }

  interface Result {
    latency: Histogram;
    requests: Histogram & { sent: number };
    throughput: Histogram;
    /** Seconds, as measured by autocannon. */
    duration: number;
    errors: number;
    timeouts: number;
    /** Responses with a status outside 2xx (a 304 counts here). */
    non2xx: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  function autocannon(options: Options): Promise<Result>;
  /** With a callback, the running instance, which `stop()` ends early. */
  function autocannon(
    options: Options,
    done: (error: Error | null, result: Result) => void,
  ): { stop(): void };
  export default autocannon;
}
