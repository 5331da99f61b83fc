/**
 * One error type for everything the API refuses, mapped to a response in one place
 * (index.ts `onError`). Messages say which field and what is accepted.
 */
import type { FieldError } from "../core/article.ts";

export type ApiErrorCode =
  | "unauthorized"
  | "admin_disabled"
  | "malformed_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "invalid_article"
  | "not_found"
  | "method_not_allowed"
  | "bad_request";

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: 400 | 401 | 404 | 405 | 413 | 415 | 422 | 503;
  readonly code: ApiErrorCode;
  readonly fields: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    status: ApiError["status"],
    code: ApiErrorCode,
    message: string,
    fields?: FieldError[],
    headers?: Record<string, string>,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
  }

  toResponse(): Response {
    const body = {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
      },
    };
    return Response.json(body, {
      status: this.status,
      headers: { "Content-Type": "application/json; charset=utf-8", ...this.headers },
    });
  }
}
