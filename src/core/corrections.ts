/**
 * Corrections, as readers see them: at the end of the article's content, in the
 * article's language and direction (they sit inside its dir/lang wrapper), so feed
 * readers, partners and the article page all carry them. Plain text, escaped here.
 */
import type { Article } from "./article.ts";
import { formatRfc3339 } from "./dates.ts";
import { uiTextFor } from "./pages/ui-text.ts";
import { escapeXml as h, stripXmlForbidden } from "./text.ts";

export function renderCorrections(article: Article): string {
  const corrections = article.corrections ?? [];
  if (corrections.length === 0) return "";
  const label = uiTextFor(article.language).correction;
  return corrections
    .map(({ date, text }) => {
      const when = formatRfc3339(date);
      return `<p class="correction"><strong>${h(label)}</strong> <time datetime="${when}">${when.slice(0, 10)}</time>: ${h(stripXmlForbidden(text))}</p>`;
    })
    .join("");
}
