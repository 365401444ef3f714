// Convert an OAIK JSON-LD document to N-Quads with jsonld.js, offline.
//
//   node roundtrip.mjs DOCUMENT.jsonld [CONTEXT.jsonld] > out.nq
//
// Without CONTEXT the document loader refuses every URL: the document must
// carry its context (the default of `oaik export --format jsonld`). With
// CONTEXT, that file is served for its published IRI (read from its
// "version" key: https://w3id.org/oaik/context/<version>.jsonld), for
// documents written with --context-url; every other URL is refused, so the
// check never touches the network. Used by tests/test_jsonld_js.py; run
// `npm ci` in tests/js first.

import { readFileSync } from "node:fs";
import jsonld from "jsonld";

const [documentPath, contextPath] = process.argv.slice(2);
if (!documentPath) {
  console.error("usage: node roundtrip.mjs DOCUMENT.jsonld [CONTEXT.jsonld]");
  process.exit(2);
}

const served = {};
if (contextPath) {
  const contextDocument = JSON.parse(readFileSync(contextPath, "utf8"));
  served[`https://w3id.org/oaik/context/${contextDocument.version}.jsonld`] = contextDocument;
}

const documentLoader = async (url) => {
  if (url in served) {
    return { contextUrl: null, documentUrl: url, document: served[url] };
  }
  const offer = Object.keys(served).join(", ") || "nothing";
  throw new Error(`refusing to load ${url}: only ${offer} is served (no network)`);
};

try {
  const input = JSON.parse(readFileSync(documentPath, "utf8"));
  const nquads = await jsonld.toRDF(input, { format: "application/n-quads", documentLoader, safe: true });
  process.stdout.write(nquads);
} catch (error) {
  const cause = error.details && error.details.cause ? ` (${error.details.cause.message})` : "";
  console.error(`jsonld.js failed: ${error.message}${cause}`);
  process.exit(1);
}
