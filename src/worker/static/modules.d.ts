/** Text modules bundled by wrangler's `[[rules]] type = "Text"` (wrangler.toml). */
declare module "*.xsl" {
  const text: string;
  export default text;
}
