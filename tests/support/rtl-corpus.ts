/**
 * Tricky right-to-left headlines and bodies, each with the direction its item must
 * resolve to in a reader that decides by the first strong character (`dir="auto"`:
 * Miniflux, NetNewsWire, FreshRSS), and — written by hand — which direction mark the
 * publisher must put in front of each field. The mark is needed where either rule
 * disagrees with the item's direction: UAX #9 P2/P3 (isolates skipped) or the browsers'
 * `dir="auto"` rule (isolates not skipped). "" where both already agree and the text
 * must stay byte-for-byte as written.
 *
 * Also here: independent first-strong oracles for both rules, built on the Unicode
 * Bidi_Class data that the `bidi-js` package ships (Unicode 13), so that the tests do
 * not judge src/core/bidi.ts by itself.
 */
import bidiFactory, { type BidiCharTypeName } from "bidi-js";

export type Direction = "rtl" | "ltr";
/** The mark expected in front of a field: U+200F, U+200E, or none. */
export type Mark = "RLM" | "LRM" | "";

export const MARKS: Record<Mark, string> = { RLM: "\u200F", LRM: "\u200E", "": "" };

export interface CorpusItem {
  /** Also the article's slug. */
  id: string;
  /** What makes the case tricky. */
  what: string;
  language: string;
  direction: Direction;
  title: string;
  summary: string;
  body: string;
  format: "markdown" | "html";
  marks: { title: Mark; summary: Mark; content: Mark };
  /**
   * A product bug this case exposes (file and cause); its test is expected to fail
   * until the bug is fixed.
   */
  bug?: string;
}

const LRI = "\u2066";
const RLI = "\u2067";
const FSI = "\u2068";
const PDI = "\u2069";
const RLM = "\u200F";
const LRM = "\u200E";

export const CORPUS: CorpusItem[] = [
  // ---- Arabic items (language ar, must resolve rtl) --------------------------------
  {
    id: "latin-lead-cnn",
    what: 'Latin source name first ("CNN:")',
    language: "ar",
    direction: "rtl",
    title: "CNN: مقتل ثلاثة في غارة على غزة",
    summary: "قالت شبكة CNN إن الغارة وقعت فجراً.",
    body: "CNN نقلت عن مصادر طبية أن عدد القتلى ارتفع.",
    format: "markdown",
    marks: { title: "RLM", summary: "", content: "RLM" },
  },
  {
    id: "latin-lead-bbc",
    what: "Latin brand then Arabic, in title and summary",
    language: "ar",
    direction: "rtl",
    title: "BBC عربي: تفاصيل جديدة عن الاتفاق",
    summary: "BBC News: مصادر دبلوماسية تؤكد التقدم",
    body: "تفاصيل الاتفاق كما نشرتها الصحف.",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "" },
  },
  {
    id: "digit-lead-arabic",
    what: "European digits first, then Arabic (digits are weak: no mark)",
    language: "ar",
    direction: "rtl",
    title: "2020 عام الجائحة: حصاد الأخبار",
    summary: "2020: عام استثنائي في المنطقة",
    body: "2020 كان عاماً صعباً على الجميع.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "digit-lead-latin",
    what: "digits, then a Latin word, then Arabic",
    language: "ar",
    direction: "rtl",
    title: "2020 COVID-19 يضرب الاقتصاد العالمي",
    summary: "19 COVID: حالات جديدة في عمّان",
    body: "**2020** Tokyo Olympics تؤجل إلى العام المقبل.",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "RLM" },
  },
  {
    id: "arabic-indic-digits",
    what: "Arabic-Indic digits first (class AN, weak)",
    language: "ar",
    direction: "rtl",
    title: "٢٠٢٠ عام استثنائي في المنطقة",
    summary: "٣٠ قتيلاً في انفجار بمرفأ بيروت",
    body: "١٠ نقاط أساسية عن الاتفاق.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "arabic-indic-then-latin",
    what: "Arabic-Indic digits, then Latin",
    language: "ar",
    direction: "rtl",
    title: "١٠ iPhone مهربة في الميناء",
    summary: "٥G: الشبكات الجديدة تصل إلى الرياض",
    body: "١٠ ملايين مشترك في الخدمة.",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "" },
  },
  {
    id: "persian-digits",
    what: "Persian (extended Arabic-Indic, class EN) digits in a Persian item",
    language: "fa",
    direction: "rtl",
    title: "۱۴۰۰ سال نو در تهران",
    summary: "۱۴۰۰ Nowruz جشن گرفته شد",
    body: "جشن نوروز در سراسر ایران برگزار شد.",
    format: "markdown",
    marks: { title: "", summary: "RLM", content: "" },
  },
  {
    id: "quoted-latin",
    what: "Latin in straight quotes first; a Latin quotation opens the body",
    language: "ar",
    direction: "rtl",
    title: '"Reuters": الحكومة تنفي التقارير',
    summary: "«رويترز»: الحكومة تنفي التقارير",
    body: '> "We will not withdraw"\n\nقال الوزير ذلك في مؤتمر صحفي.',
    format: "markdown",
    marks: { title: "RLM", summary: "", content: "RLM" },
  },
  {
    id: "guillemet-arabic",
    what: "Arabic in guillemets first; Latin in quotes in the summary",
    language: "ar",
    direction: "rtl",
    title: "«لا انسحاب من العراق» يقول إسبر",
    summary: '"No withdrawal" يقول وزير الدفاع الأمريكي',
    body: "«لا انسحاب» هكذا ردّ البنتاغون.",
    format: "markdown",
    marks: { title: "", summary: "RLM", content: "" },
  },
  {
    id: "url-lead",
    what: "URL first, and a link as the first thing of the body",
    language: "ar",
    direction: "rtl",
    title: "https://example.org يطلق خدمة جديدة",
    summary: "www.example.org موقع إخباري جديد",
    body: '<p><a href="https://example.org/">example.org</a> يطلق خدمة جديدة للقراء.</p>',
    format: "html",
    marks: { title: "RLM", summary: "RLM", content: "RLM" },
  },
  {
    id: "hebrew-lead-in-arabic",
    what: "Hebrew (class R) first in an Arabic item",
    language: "ar",
    direction: "rtl",
    title: "ירושלים: القدس في عيون الصحافة العبرية",
    summary: "«הארץ» تكتب عن المفاوضات",
    body: "הארץ: المفاوضات متعثرة.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "hebrew-item",
    what: "a Hebrew item (language he) led by a Latin name",
    language: "he",
    direction: "rtl",
    title: "Haaretz: שיחות הפסקת האש חודשו",
    summary: "שיחות הפסקת האש חודשו בקהיר",
    body: "Netanyahu אמר כי השיחות יימשכו.",
    format: "markdown",
    marks: { title: "RLM", summary: "", content: "RLM" },
  },
  {
    id: "english-inside-arabic",
    what: "English names inside Arabic text (first strong is Arabic)",
    language: "ar",
    direction: "rtl",
    title: "قال Donald Trump إن الاتفاق انتهى",
    summary: "أعلنت Apple عن iPhone جديد",
    body: "قالت Google إن الخدمة ستتوقف.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "emoji-arabic",
    what: "emoji (neutral) first, then Arabic",
    language: "ar",
    direction: "rtl",
    title: "🔴 عاجل: انفجار في مرفأ بيروت",
    summary: "📷 صور من موقع الانفجار",
    body: "🔴 **عاجل** انفجار ضخم.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "emoji-latin",
    what: "emoji, then Latin, then Arabic",
    language: "ar",
    direction: "rtl",
    title: "🔴 BREAKING: انفجار في بيروت",
    summary: "🎥 Video: لحظة الانفجار",
    body: "▶️ YouTube: شاهد التسجيل الكامل.",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "RLM" },
  },
  {
    id: "brand-only",
    what: 'an all-Latin brand name ("iPhone") as the whole title of an Arabic item',
    language: "ar",
    direction: "rtl",
    title: "iPhone",
    summary: "iPhone 12 Pro Max",
    body: "iPhone",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "RLM" },
  },
  {
    id: "brand-lead",
    what: "brand name first, then Arabic",
    language: "ar",
    direction: "rtl",
    title: "iPhone 12 يصل إلى الأسواق العربية",
    summary: "Samsung ترد على Apple بهاتف جديد",
    body: "وصل الهاتف الجديد إلى المتاجر.",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "" },
  },
  {
    id: "paren-arabic",
    what: "parentheses and brackets around Arabic first",
    language: "ar",
    direction: "rtl",
    title: "(فيديو) لحظة سقوط الصاروخ",
    summary: "[تحديث] ارتفاع عدد الضحايا",
    body: "(صور) آثار الدمار في الحي.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "paren-latin",
    what: "parentheses and brackets around Latin first",
    language: "ar",
    direction: "rtl",
    title: "(Video) لحظة سقوط الصاروخ",
    summary: "[Update] ارتفاع عدد الضحايا",
    body: "(AFP) — قالت الشرطة إن التحقيق مستمر.",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "RLM" },
  },
  {
    id: "punctuation-lead",
    what: "ellipsis, dash and list markers first",
    language: "ar",
    direction: "rtl",
    title: "...وتستمر المفاوضات في القاهرة",
    summary: "— AFP: غارات على إدلب",
    body: "- بند أول\n- بند ثان",
    format: "markdown",
    marks: { title: "", summary: "RLM", content: "" },
  },
  {
    id: "hashtag-mention",
    what: "hashtags and mentions first",
    language: "ar",
    direction: "rtl",
    title: "#عاجل الأمم المتحدة تدعو إلى التهدئة",
    summary: "#BREAKING الأمم المتحدة تدعو إلى التهدئة",
    body: "@UN: بيان حول الوضع في غزة.",
    format: "markdown",
    marks: { title: "", summary: "RLM", content: "RLM" },
  },
  {
    id: "mention-lead",
    what: "a Latin @mention first; an Arabic one in the summary",
    language: "ar",
    direction: "rtl",
    title: "@UN: بيان حول غزة",
    summary: "@الأمم_المتحدة: بيان حول غزة",
    body: "بيان الأمم المتحدة كاملاً.",
    format: "markdown",
    marks: { title: "RLM", summary: "", content: "" },
  },
  {
    id: "isolated-latin",
    what: "Latin inside an LRI…PDI isolate first (P2 skips it, browsers do not); Arabic isolate before Latin",
    language: "ar",
    direction: "rtl",
    title: `${LRI}CNN${PDI} تنقل عن مصادر أمنية`,
    summary: `${RLI}عاجل${PDI} Breaking news`,
    body: "<p><bdi>CNN</bdi> تنقل عن مصادر أمنية.</p>",
    format: "html",
    marks: { title: "RLM", summary: "RLM", content: "RLM" },
  },
  {
    id: "isolated-arabic",
    what: "an Arabic isolate first, then Arabic: both rules give rtl, no mark",
    language: "ar",
    direction: "rtl",
    title: `${RLI}عاجل${PDI} الأمم المتحدة تدعو إلى التهدئة`,
    summary: `${FSI}عاجل${PDI} الأمم المتحدة تدعو إلى التهدئة`,
    body: "<p><bdi>عاجل</bdi> الأمم المتحدة تدعو إلى التهدئة.</p>",
    format: "html",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "unclosed-isolate",
    what: "an isolate that is never closed hides everything after it",
    language: "ar",
    direction: "rtl",
    title: `${FSI}CNN تنقل عن مصادر أمنية`,
    summary: `${LRI}${PDI}CNN تنقل عن مصادر أمنية`,
    body: "مصادر أمنية.",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "" },
  },
  {
    id: "existing-marks",
    what: "text that already starts with a direction mark",
    language: "ar",
    direction: "rtl",
    title: `${RLM}CNN: مقتل ثلاثة في غارة`,
    summary: `${LRM}مرحباً بكم في النشرة`,
    body: `${RLM}CNN تقول إن الغارة وقعت فجراً.`,
    format: "markdown",
    marks: { title: "", summary: "RLM", content: "" },
  },
  {
    id: "no-strong-arabic",
    what: "digits and symbols only: no strong character at all (P3 gives ltr)",
    language: "ar",
    direction: "rtl",
    title: "2020",
    summary: "١٢٣",
    body: "100%",
    format: "markdown",
    marks: { title: "RLM", summary: "RLM", content: "RLM" },
  },
  {
    id: "percent-time",
    what: "percentages and clock times first",
    language: "ar",
    direction: "rtl",
    title: "%50 من السكان تحت خط الفقر",
    summary: "10:30 GMT موعد المؤتمر الصحفي",
    body: "10:30 موعد المؤتمر الصحفي.",
    format: "markdown",
    marks: { title: "", summary: "RLM", content: "" },
  },
  {
    id: "markdown-link-lead",
    what: "a Markdown link with a Latin label opens the body",
    language: "ar",
    direction: "rtl",
    title: "المحادثات تفشل في جنيف",
    summary: "فشل جولة جديدة من المحادثات",
    body: "[Reuters](https://www.reuters.com/) قالت إن المحادثات فشلت.",
    format: "markdown",
    marks: { title: "", summary: "", content: "RLM" },
  },
  {
    id: "html-ltr-paragraph",
    what: 'an HTML body whose first paragraph is Latin with dir="ltr"',
    language: "ar",
    direction: "rtl",
    title: "وكالة أسوشيتد برس: انتخابات مبكرة",
    summary: "Associated Press: انتخابات مبكرة",
    body: '<p dir="ltr">Associated Press</p><p>قالت الوكالة إن الانتخابات ستجرى مبكراً.</p>',
    format: "html",
    marks: { title: "", summary: "RLM", content: "RLM" },
  },
  {
    id: "code-lead",
    what: "a code block first in the body",
    language: "ar",
    direction: "rtl",
    title: "شرح أمر التثبيت",
    summary: "npm install: شرح الأمر",
    body: "```\nnpm install\n```\n\nشرح الأمر خطوة خطوة.",
    format: "markdown",
    marks: { title: "", summary: "RLM", content: "RLM" },
  },
  {
    id: "persian-latin",
    what: "a Persian item (fa) led by a Latin brand",
    language: "fa",
    direction: "rtl",
    title: "Instagram در ایران فیلتر شد",
    summary: "اینستاگرام در ایران فیلتر شد",
    body: "Telegram نیز مسدود است.",
    format: "markdown",
    marks: { title: "RLM", summary: "", content: "RLM" },
  },
  {
    id: "urdu-latin",
    what: "an Urdu item (ur) led by a Latin acronym",
    language: "ur",
    direction: "rtl",
    title: "PTI کا جلسہ آج لاہور میں",
    summary: "جلسہ آج لاہور میں ہوگا",
    body: "PTI کے رہنما خطاب کریں گے۔",
    format: "markdown",
    marks: { title: "RLM", summary: "", content: "RLM" },
  },
  {
    id: "azerbaijani-arabic-script",
    what: "az-Arab (Azerbaijani in Arabic script) is right-to-left",
    language: "az-Arab",
    direction: "rtl",
    title: "Baku: آذربایجان خبرلری",
    summary: "آذربایجان خبرلری",
    body: "Baku شهرینده.",
    format: "markdown",
    marks: { title: "RLM", summary: "", content: "RLM" },
  },
  {
    id: "nbsp-and-entities",
    what: "an HTML body opening with &nbsp; and a numeric reference to a Latin letter",
    language: "ar",
    direction: "rtl",
    title: "\u00A0عاجل: مؤتمر صحفي",
    summary: "عاجل: مؤتمر صحفي",
    body: "<p>&nbsp;&#65;FP: مؤتمر صحفي بعد قليل.</p>",
    format: "html",
    marks: { title: "", summary: "", content: "RLM" },
  },
  {
    id: "tatweel-lead",
    what: "Arabic tatweel (U+0640, Bidi_Class AL) first: strong right-to-left, needs no mark",
    language: "ar",
    direction: "rtl",
    title: "ـــ عاجل ـــ",
    summary: "ـ عاجل",
    body: "ـــ عاجل ـــ",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "lrm-entity-body",
    what: "an HTML body that starts with &lrm; (a strong LTR character once decoded)",
    language: "ar",
    direction: "rtl",
    title: "مرحباً بكم في النشرة",
    summary: "النشرة الصباحية",
    body: "<p>&lrm;مرحباً بكم في النشرة الصباحية.</p>",
    format: "html",
    marks: { title: "", summary: "", content: "RLM" },
  },

  // ---- English items (language en) inside the Arabic feed: must resolve ltr -----------
  {
    id: "en-plain",
    what: "plain English",
    language: "en",
    direction: "ltr",
    title: "Gaza ceasefire talks resume in Cairo",
    summary: "Mediators met on Sunday.",
    body: "Talks resumed on Sunday in Cairo.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "en-arabic-lead",
    what: "English text that starts with an Arabic word",
    language: "en",
    direction: "ltr",
    title: "القدس: Jerusalem marks a tense anniversary",
    summary: "حماس says it accepts the proposal",
    body: "<p>الجزيرة reported heavy shelling overnight.</p>",
    format: "html",
    marks: { title: "LRM", summary: "LRM", content: "LRM" },
  },
  {
    id: "en-quoted-arabic",
    what: "English led by Arabic in guillemets or quotes",
    language: "en",
    direction: "ltr",
    title: "«الجزيرة» reports heavy shelling overnight",
    summary: '"لا" means no, the minister said',
    body: "**2020** in review.",
    format: "markdown",
    marks: { title: "LRM", summary: "LRM", content: "" },
  },
  {
    id: "en-digits",
    what: "English led by European and Arabic-Indic digits",
    language: "en",
    direction: "ltr",
    title: "2020 in review: the pandemic year",
    summary: "١٠ facts about the deal",
    body: "١٠ facts about the deal.",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "en-no-strong",
    what: "an English item with no strong character (P3: ltr, no mark needed)",
    language: "en",
    direction: "ltr",
    title: "2020",
    summary: "١٢٣",
    body: "100%",
    format: "markdown",
    marks: { title: "", summary: "", content: "" },
  },
  {
    id: "en-emoji-arabic",
    what: "English led by an emoji and an Arabic place name",
    language: "en",
    direction: "ltr",
    title: "📷 غزة: photos from the ground",
    summary: "🔴 Live: updates from Gaza",
    body: "<p>🔴 عاجل — live coverage.</p>",
    format: "html",
    marks: { title: "LRM", summary: "", content: "LRM" },
  },
  {
    id: "en-isolated-arabic",
    what: "English with an isolated Arabic word first (P2 skips it, browsers do not); English after an RLM",
    language: "en",
    direction: "ltr",
    title: `${RLI}القدس${PDI} marks an anniversary`,
    summary: `${RLM}Jerusalem marks an anniversary`,
    body: "Jerusalem marks an anniversary.",
    format: "markdown",
    marks: { title: "LRM", summary: "LRM", content: "" },
  },
  {
    id: "en-unclosed-isolate",
    what: "English behind an isolate that is never closed: no strong character for P2 (ltr), Arabic for browsers",
    language: "en",
    direction: "ltr",
    title: `${FSI}القدس marks an anniversary`,
    summary: `${LRI}Jerusalem${PDI} marks an anniversary`,
    body: "Jerusalem marks an anniversary.",
    format: "markdown",
    marks: { title: "LRM", summary: "", content: "" },
  },
];

// ---- the independent oracle ---------------------------------------------------------

const bidi = bidiFactory();

/** The Unicode Bidi_Class of one code point (bidi-js data). */
export function bidiClass(ch: string): BidiCharTypeName {
  return bidi.getBidiCharTypeName(ch);
}

/**
 * First strong direction per UAX #9 P2: the first character of class L, R or AL,
 * skipping characters between an isolate initiator (LRI, RLI, FSI) and its matching PDI
 * — or to the end, when there is none. The whole text is one paragraph, as for an
 * element with `dir="auto"`. Undefined when there is no strong character.
 */
export function oracleFirstStrong(text: string): Direction | undefined {
  let depth = 0;
  for (const ch of text) {
    const type = bidiClass(ch);
    if (type === "LRI" || type === "RLI" || type === "FSI") {
      depth++;
      continue;
    }
    if (type === "PDI") {
      if (depth > 0) depth--;
      continue;
    }
    if (depth > 0) continue;
    if (type === "L") return "ltr";
    if (type === "R" || type === "AL") return "rtl";
  }
  return undefined;
}

/** The paragraph direction (P2 and P3: no strong character gives left-to-right). */
export function oracleDirection(text: string): Direction {
  return oracleFirstStrong(text) ?? "ltr";
}

/**
 * The base level bidi-js's full UBA gives the first paragraph (`getEmbeddingLevels`):
 * a second opinion on `oracleDirection`. bidi-js works on UTF-16 code units, so only
 * use it on text without astral characters.
 */
export function uba(text: string): Direction {
  const { paragraphs } = bidi.getEmbeddingLevels(text, "auto");
  return (paragraphs[0]?.level ?? 0) % 2 === 1 ? "rtl" : "ltr";
}

/** What browsers do for `dir="auto"` (ICU ubidi_getBaseDirection): first L/R/AL, isolates not skipped. */
export function browserFirstStrong(text: string): Direction | undefined {
  for (const ch of text) {
    const type = bidiClass(ch);
    if (type === "L") return "ltr";
    if (type === "R" || type === "AL") return "rtl";
  }
  return undefined;
}

/** The direction browsers give `dir="auto"` text (no strong character: left-to-right). */
export function browserDirection(text: string): Direction {
  return browserFirstStrong(text) ?? "ltr";
}

/**
 * The expected mark for text that must resolve to `direction`: none only where both
 * P2/P3 and the browsers' rule already give it.
 */
export function oracleMark(text: string, direction: Direction): Mark {
  if (oracleDirection(text) === direction && browserDirection(text) === direction) return "";
  return direction === "rtl" ? "RLM" : "LRM";
}
