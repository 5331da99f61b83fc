/** What is stored beside a rendered document: everything its response headers need. */
import type { RenderedDoc } from "../documents.ts";
import type { Validators } from "./validators.ts";

export interface DocMeta {
  /** Strong ETag, quoted: a hash of the exact bytes. */
  etag: string;
  /** HTTP Last-Modified source (RFC 3339): when the bytes last changed. */
  lastModified: string;
  contentType: string;
  /** Content-Language: the feed's or the article's language. */
  language: string;
  /** The body's length in UTF-8 bytes: a truncated value is caught without hashing. */
  length: number;
  /** 200, or 410 for a deleted article's page. */
  status: 200 | 410;
  /** Fingerprint of the site configuration and renderers it was built with. */
  build: string;
}

export function docMetaOf(
  doc: RenderedDoc,
  validators: Validators,
  length: number,
  build: string,
): DocMeta {
  return {
    etag: validators.etag,
    lastModified: validators.lastModified,
    contentType: doc.contentType,
    language: doc.language,
    length,
    status: doc.status,
    build,
  };
}

export function isDocMeta(value: unknown): value is DocMeta {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.etag === "string" &&
    m.etag.startsWith('"') &&
    typeof m.lastModified === "string" &&
    typeof m.contentType === "string" &&
    typeof m.language === "string" &&
    typeof m.length === "number" &&
    (m.status === 200 || m.status === 410) &&
    typeof m.build === "string"
  );
}
