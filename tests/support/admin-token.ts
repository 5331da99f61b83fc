/**
 * The admin API's bearer token in every test Worker: vitest.config.ts gives it to the
 * workerd projects as ADMIN_TOKEN, and the tests send it. A module of its own (no
 * imports) so that both Node (the config) and workerd (the tests) can load it.
 */
export const TEST_ADMIN_TOKEN = "test-admin-token";

/** The private partner feed's token (PARTNER_TOKEN_MSN) in the worker-partners project. */
export const PARTNER_TEST_TOKEN = "test-partner-token-msn";
