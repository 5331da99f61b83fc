import { describe, expect, it } from "vitest";
import { nextValidators } from "../../../src/core/publishing/validators.ts";

describe("nextValidators", () => {
  it("a first version is dated by its content, so the same articles give the same headers", () => {
    expect(
      nextValidators(undefined, '"a"', "2020-01-07T07:00:00Z", "2026-12-01T00:00:00Z"),
    ).toEqual({
      etag: '"a"',
      lastModified: "2020-01-07T07:00:00Z",
    });
  });

  it("Last-Modified moves only when the bytes change", () => {
    const before = { etag: '"a"', lastModified: "2020-01-07T07:00:00Z" };
    expect(nextValidators(before, '"a"', "2021-01-01T00:00:00Z", "2026-12-01T00:00:00Z")).toBe(
      before,
    );
    expect(nextValidators(before, '"b"', "2021-01-01T00:00:00Z", "2026-12-01T00:00:00Z")).toEqual({
      etag: '"b"',
      lastModified: "2026-12-01T00:00:00Z",
    });
  });
});
