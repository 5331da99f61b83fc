/**
 * The flood's request (flood.ts): a random unknown category, author, article or archive
 * page on each request. A file of its own because the flood runs in an autocannon worker
 * thread, which loads its request hook by path (a function cannot be sent to a thread).
 */
"use strict";

function randomUnknownPath() {
  const word = Math.random().toString(36).slice(2, 10);
  switch (Math.floor(Math.random() * 4)) {
    case 0:
      return `/categories/${word}/feed.xml`;
    case 1:
      return `/authors/${word}/atom.xml`;
    case 2:
      return `/articles/${word}`;
    default:
      return `/archive/${100_000 + Math.floor(Math.random() * 1e6)}/feed.json`;
  }
}

module.exports = (request) => ({ ...request, path: randomUnknownPath() });
