import io

from addin.progress import Progress


def test_a_watched_run_draws_a_bar_and_clears_it():
    out = io.StringIO()
    p = Progress(out, enabled=True)
    p.stage("Writing shop.xlsx", 200_000)
    p.update(100_000, force=True)
    p.close()
    text = out.getvalue()
    assert "Writing shop.xlsx [##############..............] 100,000 of 200,000 rows" in text
    assert text.endswith("\r\x1b[K")


def test_scripts_and_json_get_nothing_on_stderr():
    out = io.StringIO()  # not a terminal
    p = Progress(out)
    p.stage("Reading", 10)
    p.update(5, force=True)
    p.close()
    assert out.getvalue() == ""
