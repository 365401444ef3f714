"""oaik serve with the site: pages at /, and content negotiation on entity IRIs over plain HTTP (urllib and curl)."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest
from servers import oaik_server

IRI_PATH = "/id/project/eleutherai"
IRI = "https://w3id.org/oaik" + IRI_PATH


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    from site_build import built_site

    from oaik.server.site_routes import SiteRoutes

    folder = built_site(store, tmp_path_factory)
    routes = SiteRoutes(folder)
    with oaik_server(routes=[routes]) as running:
        running.site = routes
        yield running


def fetch(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case: HTTP header names are case-insensitive) and body."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), error.read()


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def test_the_site_is_served_at_the_root(server):
    status, headers, body = fetch(server.url + "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"<h1>The knowledge graph of open-source AI collaboration</h1>" in body
    assert "script-src 'self'" in headers["content-security-policy"]


def test_html_turtle_and_jsonld_for_the_same_iri(server):
    import rdflib
    from rdflib.compare import isomorphic

    status, headers, html = fetch(server.url + IRI_PATH, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert status == 200 and headers["content-type"].startswith("text/html") and headers["vary"] == "Accept"
    assert b"<h1>EleutherAI (Pythia)</h1>" in html
    status, headers, turtle = fetch(server.url + IRI_PATH, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle") and headers["vary"] == "Accept"
    status, headers, jsonld = fetch(server.url + IRI_PATH, "application/ld+json")
    assert status == 200 and headers["content-type"].startswith("application/ld+json") and headers["vary"] == "Accept"
    from_turtle = rdflib.Graph().parse(data=turtle.decode(), format="turtle")
    from_jsonld = rdflib.Graph().parse(data=jsonld.decode(), format="json-ld")
    assert isomorphic(from_turtle, from_jsonld)
    assert (rdflib.URIRef(IRI), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/oaik/ns#Project")) in from_turtle


def test_no_accept_header_gives_html(server):
    status, headers, _ = fetch(server.url + IRI_PATH)
    assert status == 200 and headers["content-type"].startswith("text/html")


def test_unknown_types_get_406(server):
    status, headers, body = fetch(server.url + IRI_PATH, "image/png")
    assert status == 406 and headers["vary"] == "Accept"
    assert b"text/turtle" in body


def test_a_wildcard_gets_a_type_it_covers(server):
    """``application/*`` gets data (not the HTML page for its alias application/xhtml+xml), ``text/*`` the page."""
    status, headers, _ = fetch(server.url + IRI_PATH, "application/*")
    assert status == 200 and headers["content-type"].startswith("application/")
    status, headers, _ = fetch(server.url + IRI_PATH, "text/*")
    assert status == 200 and headers["content-type"].startswith("text/html")


def test_concepts_and_ontology_terms_negotiate_too(server):
    assert fetch(server.url + "/vocab/onramp/crowdsourced-annotation", "text/turtle")[0] == 200
    assert fetch(server.url + "/vocab/onramp/crowdsourced-annotation", "text/html")[0] == 200
    status, _, body = fetch(server.url + "/ns", "text/turtle")
    assert status == 200 and b"oaik:Project" in body


def test_unknown_entities_and_escapes_are_refused(server):
    assert fetch(server.url + "/id/project/no-such-project", "text/turtle")[0] == 404
    assert fetch(server.url + "/id/project/no-such-project", "text/html")[0] == 404
    assert fetch(server.url + "/static/../../../etc/passwd")[0] in (400, 404)
    assert fetch(server.url + "/%2e%2e/%2e%2e/etc/passwd")[0] in (400, 404)


def test_the_endpoint_still_answers(server):
    status, _, body = fetch(server.url + "/sparql?query=ASK%7B%7D", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_negotiates(server):
    def curl(accept: str) -> tuple[str, str]:
        done = subprocess.run(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{content_type}",
                "-H",
                f"Accept: {accept}",
                server.url + IRI_PATH,
            ],
            capture_output=True,
            text=True,
            timeout=20,
        )
        code, _, media = done.stdout.partition(" ")
        return code, media

    assert curl("text/turtle") == ("200", "text/turtle; charset=utf-8")
    assert curl("application/ld+json") == ("200", "application/ld+json")
    assert curl("text/html")[0] == "200"
    assert curl("application/x-unknown")[0] == "406"


def test_routes_as_a_pure_function(store, tmp_path):
    from oaik.server.site_routes import SiteRoutes

    routes = SiteRoutes(None, store=store)  # no site built: descriptions from the graph only
    status, headers, body = routes(IRI_PATH, "text/turtle")
    assert status == 200 and headers["Vary"] == "Accept" and b"project:eleutherai" in body
    assert routes(IRI_PATH, "text/html")[0] == 404
    assert routes("/index.html", None) is None
    assert routes("/id/../../etc/passwd", None)[0] == 400


def test_routes_from_the_site_files_alone(server, store):
    """Without a store (the graph lives in query workers), descriptions come from the site's files."""
    import pyoxigraph as ox

    from oaik.server.site_routes import SiteRoutes

    routes = SiteRoutes(server.site.site_dir)
    with_store = SiteRoutes(server.site.site_dir, store=store)
    for media in ("text/turtle", "application/ld+json", "application/n-triples"):
        status, headers, body = routes(IRI_PATH, media)
        assert status == 200 and headers["Content-Type"].startswith(media), media
        assert body == with_store(IRI_PATH, media)[2], media
    assert len(list(ox.parse(routes(IRI_PATH, "application/n-triples")[2], format=ox.RdfFormat.N_TRIPLES))) > 10
    assert routes("/id/project/no-such-project", "text/turtle")[0] == 404


def test_files_outside_the_site_are_never_served(tmp_path):
    from oaik.server.site_routes import SiteRoutes

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    (tmp_path / "secret.txt").write_text("secret")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    routes = SiteRoutes(site)
    assert routes("/", None)[0] == 200
    assert routes("/leak.txt", None) is None
    assert routes("/../secret.txt", None)[0] == 400
    assert routes("/%2e%2e/secret.txt", None)[0] == 400


class _StillBuilding:
    """A builder process (``subprocess.Popen``) that has not finished."""

    def poll(self) -> None:
        return None


def test_every_site_path_answers_503_while_the_site_is_built(tmp_path):
    """Plain `oaik serve` builds the site in the background: pages, files and IRIs alike say to come back
    (index.html, query.html, static files and figures answered 404 while IRIs answered 503)."""
    from oaik.server.site_routes import SiteRoutes

    routes = SiteRoutes(tmp_path / "site", builder=_StillBuilding())
    for path in ("/index.html", "/query.html", "/static/site.css", "/figures/onramp-matrix.html", IRI_PATH):
        status, headers, _ = routes(path, None)
        assert status == 503 and headers["Retry-After"] == "5", path
    assert routes(IRI_PATH, "text/turtle")[0] == 503
    assert routes("/", None) is None  # the endpoint's query page until the site is there
    assert routes("/queries/table-1", None) is None  # the endpoint's own canned-query pages


def test_the_ontology_negotiates_rdf_xml_as_w3id_does(server, store):
    """OWL tools ask /ns for RDF/XML (w3id.org/oaik/ns sends them to ns.rdf): the site's ns.rdf, or the graph's."""
    import rdflib
    from rdflib.compare import isomorphic

    from oaik.server.site_routes import SiteRoutes

    status, headers, body = fetch(server.url + "/ns", "application/rdf+xml")
    assert status == 200 and headers["content-type"] == "application/rdf+xml" and headers["vary"] == "Accept"
    turtle = fetch(server.url + "/ns", "text/turtle")[2]
    expected = rdflib.Graph().parse(data=turtle.decode(), format="turtle")
    assert isomorphic(rdflib.Graph().parse(data=body, format="xml"), expected)
    status, _, from_graph = SiteRoutes(None, store=store)("/ns", "application/rdf+xml")
    assert status == 200 and isomorphic(rdflib.Graph().parse(data=from_graph, format="xml"), expected)
    assert fetch(server.url + IRI_PATH, "application/rdf+xml")[0] == 406  # instances: as w3id, no RDF/XML


@pytest.mark.parametrize(("path", "status"), [(IRI_PATH, 405), ("/static/site.css", 405), ("/id/project/no-such", 404)])
def test_post_to_an_entity_is_405_and_to_nothing_404(server, path, status):
    request = urllib.request.Request(server.url + path, data=b"x=1", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            got, headers = response.status, _lower(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            got, headers = error.code, _lower(error.headers)
    assert got == status
    if status == 405:
        assert "GET" in headers["allow"] and "POST" not in headers["allow"]
