/** Interface text of the HTML pages, in the site's language (Arabic first, English otherwise). */
export interface UiText {
  feeds: string;
  rss: string;
  atom: string;
  json: string;
  latest: string;
  by: string;
  notFoundTitle: string;
  notFoundBody: string;
  goneTitle: string;
  goneBody: string;
  home: string;
  subscribeHint: string;
  categories: string;
  noArticles: string;
  correction: string;
  /** The browser view of a feed: what a feed is and how to subscribe to it. */
  viewIntro: string;
  subscribeTitle: string;
  subscribeHow: string;
}

const ARABIC: UiText = {
  feeds: "الخلاصات",
  rss: "خلاصة RSS",
  atom: "خلاصة Atom",
  json: "خلاصة JSON",
  latest: "آخر الأخبار",
  by: "بقلم",
  notFoundTitle: "الصفحة غير موجودة",
  notFoundBody: "لم نعثر على الصفحة التي طلبتها.",
  goneTitle: "حُذف هذا المقال",
  goneBody: "لم يعد هذا المقال منشوراً.",
  home: "الصفحة الرئيسية",
  subscribeHint: "انسخ رابط إحدى الخلاصات إلى قارئ الخلاصات للاشتراك.",
  categories: "الأقسام",
  noArticles: "لا توجد مقالات بعد.",
  correction: "تصحيح",
  viewIntro: "هذه خلاصة أخبار، تتابعها برامج قراءة الخلاصات لتصلك المقالات الجديدة تلقائياً.",
  subscribeTitle: "كيف تشترك",
  subscribeHow:
    "انسخ أحد الروابط أدناه والصقه في قارئ خلاصات مثل Feedly أو NetNewsWire أو Inoreader أو Miniflux أو Thunderbird، وستظهر فيه المقالات الجديدة فور نشرها.",
};

const ENGLISH: UiText = {
  feeds: "Feeds",
  rss: "RSS feed",
  atom: "Atom feed",
  json: "JSON feed",
  latest: "Latest",
  by: "By",
  notFoundTitle: "Page not found",
  notFoundBody: "We could not find the page you asked for.",
  goneTitle: "This article was removed",
  goneBody: "This article is no longer published.",
  home: "Home",
  subscribeHint: "Copy a feed link into your feed reader to subscribe.",
  categories: "Sections",
  noArticles: "No articles yet.",
  correction: "Correction",
  viewIntro:
    "This is a news feed, which feed readers follow to bring you new articles automatically.",
  subscribeTitle: "How to subscribe",
  subscribeHow:
    "Copy one of the links below and paste it into a feed reader such as Feedly, NetNewsWire, Inoreader, Miniflux or Thunderbird; new articles will show up there as they are published.",
};

export function uiTextFor(language: string): UiText {
  return language.toLowerCase().split("-")[0] === "ar" ? ARABIC : ENGLISH;
}
