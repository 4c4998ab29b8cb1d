"""The page's Content-Security-Policy: only the app's own scripts run."""



from tests.ui.conftest import js


def test_a_script_inserted_into_the_page_does_not_run(window, qtbot):
    window.map_view.run_js("""
        window.__pwned = 0;
        var s = document.createElement('script'); s.textContent = 'window.__pwned = 1'; document.body.appendChild(s);
        var d = document.createElement('div');
        d.innerHTML = '<img src="x" onerror="window.__pwned = 2"><a id="jsurl" href="javascript:window.__pwned=3">x</a>';
        document.body.appendChild(d);
        document.getElementById('jsurl').click();
    """)
    # an image error would arrive as an event: wait until the broken image has settled
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "document.querySelector('img[src=\"x\"]').complete") is True,
                    timeout=5000)
    assert js(qtbot, window.map_view, "window.__pwned") == 0


def test_the_policy_names_no_remote_script_source(window, qtbot):
    csp = js(qtbot, window.map_view,
             "document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "http" not in script_src and "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "default-src 'none'" in csp and "frame-src 'none'" in csp


def test_the_page_cannot_navigate_away_or_open_windows(window, qtbot):
    url_before = window.map_view.url().toString()
    js(qtbot, window.map_view, "window.open('https://example.org/'); location.href = 'https://example.org/'; 1")
    assert js(qtbot, window.map_view, "!!SitMap.app.map") is True
    assert window.map_view.url().toString() == url_before
    assert not any("example.org" in u for u in window.map_view.network_guard.requests)


def test_only_inline_scripts_that_run_are_allowed_by_hash():
    """Data a page carries in a JSON script element (its basemap tiles, a briefing's settings) is
    never run and has no hash in the policy; each inline script that runs has its own."""
    import base64
    import hashlib

    from viewer.render.csp import policy, script_hashes

    def h(body):
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    run, data = "SitMap.app.init(m, {});", '{"5/27/12": {"land": []}}'
    html = (f'<html><head><script src="sitmap://app/js/x.js"></script>'
            f'<script type="application/json" id="sitmap-carried-tiles">{data}</script>'
            f"<script type='application/json'>{data}</script>"
            f"</head><body><script>{run}</script><SCRIPT defer>{run} 1</SCRIPT></body></html>")
    assert script_hashes(html) == [h(run), h(run + " 1")]
    assert h(data) not in policy(html)
