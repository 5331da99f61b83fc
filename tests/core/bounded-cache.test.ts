import { describe, expect, it } from "vitest";
import { BoundedCache } from "../../src/core/bounded-cache.ts";

describe("BoundedCache", () => {
  it("never holds more than its byte bound, least recently used out first", () => {
    const cache = new BoundedCache<string, string>(10, (v) => v.length);
    cache.set("a", "1234");
    cache.set("b", "1234");
    cache.get("a"); // a is now the most recent
    cache.set("c", "1234");
    expect(cache.totalBytes).toBeLessThanOrEqual(10);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe("1234");
    expect(cache.get("c")).toBe("1234");
  });

  it("replacing a value recounts its size; a value larger than the bound is not kept", () => {
    const cache = new BoundedCache<string, string>(10, (v) => v.length);
    cache.set("a", "12345678");
    cache.set("a", "12");
    expect(cache.totalBytes).toBe(2);
    cache.set("big", "x".repeat(11));
    expect(cache.get("big")).toBeUndefined();
    expect(cache.get("a")).toBe("12");
    cache.delete("a");
    expect(cache.size).toBe(0);
    expect(cache.totalBytes).toBe(0);
  });
});
