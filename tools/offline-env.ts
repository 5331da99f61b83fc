/**
 * Keeps wrangler and Miniflare off the network and out of the home folder (TOOLCHAIN.md,
 * "Offline behaviour"). A module of its own, imported first, because wrangler reads
 * some of these (its config and log folder) when its module is evaluated, not when it
 * is called; ES modules are evaluated in import order. Values already set win.
 */
process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.XDG_CONFIG_HOME ??= `${process.cwd()}/.wrangler/config`;
