"""linkkit.flask: asset routes (real Flask test client), template helpers, SRI of the shim."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from linkkit.errors import ConfigError
from linkkit.flask import SHIM_FILE, LinkKit, sri_hash
from linkkit.resources import shipped_dir
from tests.assets._decode import decode_svg
from tests.assets._html_check import parse

LINK = "https://a.swallet.link/atw/v3/YMtt/3glji6d406000#Clip?pdata=8bUAc3LoPtwFpNvWQ0qS1A"
SHIM_MISSING = not (shipped_dir("web").parent / "js" / SHIM_FILE).is_file()


def get(client: FlaskClient, path: str, **kwargs: Any) -> TestResponse:
    """GET, read the body, close the file the response streamed from (no ResourceWarning)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def make_app(**config: object) -> Flask:
    app = Flask(__name__)
    app.config.update(TESTING=True, **config)
    LinkKit(app)
    return app


def test_state_lives_in_app_extensions_not_on_the_extension() -> None:
    kit = LinkKit()
    first, second = Flask("one"), Flask("two")
    second.config["LINKKIT_ASSET_MAX_AGE"] = 60
    kit.init_app(first)
    kit.init_app(second)
    assert first.extensions["linkkit"].max_age == 86_400
    assert second.extensions["linkkit"].max_age == 60
    assert not any(isinstance(v, Flask) for v in vars(kit).values())
    with pytest.raises(RuntimeError, match="already"):
        kit.init_app(first)


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ConfigError, match="url_prefix"):
        LinkKit(url_prefix="no-slash")
    app = Flask(__name__)
    app.config["LINKKIT_ASSET_MAX_AGE"] = "1 day"
    with pytest.raises(ConfigError, match="LINKKIT_ASSET_MAX_AGE"):
        LinkKit(app)


def test_web_assets_are_served_with_cache_headers() -> None:
    client = make_app().test_client()
    css = get(client, "/_linkkit/web/linkkit-buttons.css")
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    assert "max-age=86400" in css.headers["Cache-Control"]
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    assert css.data == (shipped_dir("web") / "linkkit-buttons.css").read_bytes()
    etag = css.headers["ETag"]
    assert get(client, "/_linkkit/web/linkkit-buttons.css", headers={"If-None-Match": etag}).status_code == 304
    svg = get(client, "/_linkkit/web/buttons/wallet/en-US/light-horizontal.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.headers["Content-Security-Policy"].startswith("default-src 'none'")
    png = get(client, "/_linkkit/web/buttons/pay/ja/dark-vertical@3x.png")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "/_linkkit/web/../linkkit/errors.py",
        "/_linkkit/web/..%2flinkkit%2ferrors.py",
        "/_linkkit/web/%2e%2e/pyproject.toml",
        "/_linkkit/web//etc/passwd",
        "/_linkkit/web/buttons/../../linkkit/flask.py",
        "/_linkkit/web/.hidden.css",
        "/_linkkit/web/buttons/nope.svg",
        "/_linkkit/web/buttons/manifest.json.bak",
        "/_linkkit/js/../web/linkkit-buttons.css",
    ],
)
def test_unsafe_or_unknown_paths_are_404(path: str) -> None:
    response = get(make_app().test_client(), path)
    assert response.status_code in (404, 308)
    if response.status_code == 308:  # werkzeug normalises '//' by redirecting; the target is still checked
        assert get(make_app().test_client(), response.headers["Location"]).status_code == 404


def test_custom_prefix_and_max_age() -> None:
    app = Flask(__name__)
    app.config["LINKKIT_ASSET_MAX_AGE"] = 3600
    LinkKit(app, url_prefix="/static/wallet")
    client = app.test_client()
    response = get(client, "/static/wallet/web/buttons/manifest.json")
    assert response.status_code == 200 and "max-age=3600" in response.headers["Cache-Control"]
    with app.test_request_context():
        html = render_template_string("{{ linkkit_button(link) }}", link=LINK)
    src = parse(html).one("img").attrs["src"] or ""
    assert src.startswith("/static/wallet/web/buttons/")
    assert get(client, src).status_code == 200


def test_button_helper_renders_once_escaped_and_its_image_is_served() -> None:
    app = make_app()
    with app.test_request_context():
        html = render_template_string(
            '<p>{{ linkkit_button(link, locale="pt-BR", kind="pay") }}</p>'
            '<link rel="stylesheet" href="{{ linkkit_asset_url("linkkit-buttons.css") }}">',
            link=LINK,
        )
    doc = parse(html)
    assert doc.one("a").attrs["href"] == LINK
    img = doc.one("img")
    assert img.attrs["alt"] == "Salvar no Samsung Pay"
    client = app.test_client()
    assert get(client, img.attrs["src"] or "").status_code == 200
    assert get(client, doc.one("link").attrs["href"] or "").status_code == 200


def test_email_helper_uses_absolute_urls() -> None:
    app = make_app(TRUSTED_HOSTS=["shop.example", "localhost"])
    with app.test_request_context(base_url="https://shop.example"):
        html = render_template_string("{{ linkkit_email_button(link) }}", link=LINK)
    src = parse(html).one("img").attrs["src"] or ""
    assert src.startswith("https://shop.example/_linkkit/web/buttons/wallet/en-US/light-horizontal@2x.png")
    assert get(app.test_client(), src.removeprefix("https://shop.example")).status_code == 200


def test_email_helper_outside_a_request() -> None:
    configured = make_app(LINKKIT_EMAIL_ASSET_BASE="https://cdn.example/linkkit")
    with configured.app_context():
        html = render_template_string("{{ linkkit_email_button(link) }}", link=LINK)
    assert (parse(html).one("img").attrs["src"] or "").startswith("https://cdn.example/linkkit/buttons/")
    bare = make_app()
    with bare.app_context(), pytest.raises(ConfigError, match="LINKKIT_EMAIL_ASSET_BASE"):
        render_template_string("{{ linkkit_email_button(link) }}", link=LINK)


def test_qr_helper_is_inline_svg_that_decodes() -> None:
    app = make_app()
    with app.test_request_context():
        html = render_template_string('<div>{{ linkkit_qr_svg(link, title="Scan <me>", size="3cm") }}</div>', link=LINK)
    assert html.startswith("<div><svg ") and "Scan &lt;me&gt;" in html
    assert decode_svg(html[5:-6]) == [LINK.encode()]


def test_helpers_need_init_app() -> None:
    from linkkit.flask import linkkit_asset_url

    with Flask(__name__).test_request_context(), pytest.raises(RuntimeError, match="not initialised"):
        linkkit_asset_url("linkkit-buttons.css")


def test_sri_hash_format() -> None:
    assert sri_hash(b"alert(1)") == "sha384-" + base64.b64encode(hashlib.sha384(b"alert(1)").digest()).decode()


@pytest.mark.skipif(SHIM_MISSING, reason=f"js/{SHIM_FILE} (the browser shim, another part of linkkit) is not there yet")
def test_shim_script_carries_the_sri_hash_of_the_served_file() -> None:
    app = make_app()
    with app.test_request_context():
        html = render_template_string('{{ linkkit_shim_script(nonce="r4nd0m") }}')
    script = parse(html).one("script")
    assert script.attrs["crossorigin"] == "anonymous" and script.attrs["nonce"] == "r4nd0m"
    assert "defer" in script.attrs
    served = get(app.test_client(), script.attrs["src"] or "")
    assert served.status_code == 200 and served.mimetype in ("text/javascript", "application/javascript")
    assert script.attrs["integrity"] == sri_hash(served.data)


def _email_page(app: Flask) -> Flask:
    @app.get("/mail")
    def mail() -> str:
        return render_template_string("{{ linkkit_email_button(link) }}", link=LINK)

    return app


def _image_src(url: str, host: str) -> tuple[int, str]:
    import httpx

    answer = httpx.get(url + "/mail", headers={"Host": host})
    if answer.status_code != 200:
        return answer.status_code, ""
    return 200, parse(answer.text).one("img").attrs["src"] or ""


def test_email_images_are_never_placed_under_a_foreign_host_header() -> None:
    from linkkit._serving import ServerThread

    # the documented default (no LINKKIT_EMAIL_ASSET_BASE): a Host header alone places nothing
    with ServerThread(_email_page(make_app())) as server:
        status, src = _image_src(server.url, "evil.example")
    assert status == 500 and "evil.example" not in src
    # SERVER_NAME: the configured name, whatever the Host says
    with ServerThread(_email_page(make_app(SERVER_NAME="shop.example", PREFERRED_URL_SCHEME="https"))) as server:
        status, src = _image_src(server.url, "evil.example")
    assert status == 200 and src.startswith("https://shop.example/_linkkit/web/buttons/")
    # TRUSTED_HOSTS: the request's host when it is one of them, 400 otherwise
    with ServerThread(_email_page(make_app(TRUSTED_HOSTS=["shop.example"]))) as server:
        assert _image_src(server.url, "evil.example")[0] == 400
        status, src = _image_src(server.url, "shop.example")
    assert status == 200 and src.startswith("http://shop.example/_linkkit/web/buttons/")
