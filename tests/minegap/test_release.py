"""The release that names cached HTML (`minegap.core.release`)."""

from django.test import override_settings

from minegap.core.release import code_digest, release


def _project(root):
    (root / "calls" / "templates").mkdir(parents=True)
    (root / "calls" / "templates" / "page.html").write_text("<p>{{ call }}</p>")
    (root / "calls" / "views.py").write_text("VIEW = 1\n")
    (root / "static").mkdir()
    (root / "static" / "site.css").write_text("p { color: black; }")
    return root


def test_the_digest_follows_templates_code_and_styles_and_nothing_else(tmp_path):
    root = _project(tmp_path)
    first = code_digest(root)
    assert code_digest(root) == first  # the same sources, the same digest

    (root / "tests").mkdir()
    (root / "tests" / "test_page.py").write_text("assert True\n")
    (root / ".venv").mkdir()
    (root / ".venv" / "lib.py").write_text("LIB = 1\n")
    (root / "notes.md").write_text("# notes\n")
    assert code_digest(root) == first  # tests, hidden folders and other files draw no page

    digests = {first}
    for path, text in (
        ("calls/templates/page.html", "<p>{{ call.title }}</p>"),
        ("calls/views.py", "VIEW = 2\n"),
        ("static/site.css", "p { color: navy; }"),
    ):
        (root / path).write_text(text)
        digests.add(code_digest(root))
    assert len(digests) == 4  # each change gave a new digest


def test_a_release_named_by_the_deployment_is_used_as_it_is():
    try:
        with override_settings(RELEASE="v2.3.0"):
            release.cache_clear()
            assert release() == "v2.3.0"
        release.cache_clear()
        assert len(release()) == 16  # none named: the sources' digest
    finally:
        release.cache_clear()
