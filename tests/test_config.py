"""The config file: every mistake reported at once, each with its key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import ConfigError
from briefgen.service.config import key_lines, load_config

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
reports_dir = "out"

[[briefings]]
name = "alpha"
sources = ["articles/", "https://example.org/a.html"]
feeds = ["feed.xml"]
schedule = "0 7 * * 1-5"
timezone = "Europe/Berlin"
formats = ["json", "md"]

[briefings.fetch]
timeout = 3

[[briefings]]
name = "beta"
sources = ["articles/*.txt"]
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "feed.xml").write_text("<rss/>")
    path = tmp_path / "briefings.toml"
    path.write_text(text)
    return path


def test_good_config_resolves_paths_against_the_config_file(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, GOOD))
    alpha, beta = cfg.briefings
    assert cfg.reports_dir == tmp_path / "out"
    assert alpha.sources == [str(tmp_path / "articles"), "https://example.org/a.html"]
    assert alpha.feeds == [str(tmp_path / "feed.xml")]
    assert alpha.fetch.timeout == 3 and alpha.fetch.max_redirects == 5
    assert alpha.tz.key == "Europe/Berlin"
    assert beta.formats == ["pdf", "docx", "html", "md", "json"]
    assert beta.on_nothing_new == "skip" and beta.keep == 10 and beta.timezone == "UTC"


def test_bad_cron_unknown_key_and_missing_source_in_one_message(tmp_path: Path) -> None:
    text = (
        GOOD.replace('"0 7 * * 1-5"', '"61 7 * * 1-5"')
        .replace('name = "beta"\n', 'name = "beta"\ncolour = "blue"\n')
        .replace('sources = ["articles/", ', 'sources = ["articles/", "nowhere/", ')
    )
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    msg = str(info.value)
    assert msg.startswith("invalid config: 3 problems: ")
    assert (
        f"{path}, line 7: schedule (briefing 'alpha'): invalid cron expression '61 7 * * 1-5'"
        in msg
    )
    assert f"{path}, line 16: colour (briefing 'beta'): unknown key" in msg
    assert (
        f"{path}, line 5: sources[1] (briefing 'alpha'): 'nowhere/': no such file or folder" in msg
    )


def test_missing_source_on_its_own_line_of_a_multiline_list(tmp_path: Path) -> None:
    text = '[[briefings]]\nname = "x"\nsources = [\n  "articles/",\n  "typo/",\n]\n'
    with pytest.raises(ConfigError, match=r"line 5: sources\[1\] \(briefing 'x'\): 'typo/'"):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ('timezone = "Mars/Olympus"', r"line 4: timezone \(briefing 'x'\): unknown time zone"),
        ('on_nothing_new = "maybe"', r"line 4: on_nothing_new \(briefing 'x'\): Input should be"),
        ('schedule = "0 7 * *"', r"line 4: schedule .*invalid cron expression"),
        ('schedule = "0 0 L * *"', r"line 4: schedule .*not supported here"),
        ('formats = ["pdf", "odt"]', r"line 4: formats\[1\] \(briefing 'x'\)"),
        ("keep = 0", r"line 4: keep \(briefing 'x'\): Input should be greater than or equal to 1"),
    ],
)
def test_each_bad_value_names_key_and_line(tmp_path: Path, snippet: str, expected: str) -> None:
    text = f'[[briefings]]\nname = "x"\nsources = ["articles/"]\n{snippet}\n'
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))


def test_nested_table_key_line(tmp_path: Path) -> None:
    text = GOOD.replace("timeout = 3", "timeout = 3\nretries = 2")
    with pytest.raises(ConfigError, match=r"line 13: fetch\.retries \(briefing 'alpha'\): unknown"):
        load_config(write(tmp_path, text))


def test_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"briefings\.toml: invalid TOML: .*line 2, column"):
        load_config(write(tmp_path, '[[briefings]]\nname = "x\n'))


def test_no_briefings_no_sources_duplicate_names(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="briefings: required key is missing"):
        load_config(write(tmp_path, 'reports_dir = "r"\n'))
    text = '[[briefings]]\nname = "x"\n\n[[briefings]]\nname = "x"\nsources = ["articles"]\n'
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert "line 1: sources (briefing 'x'): a briefing needs sources or feeds" in str(info.value)
    assert "line 5: name (briefing 'x'): briefing name 'x' is used twice" in str(info.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


def test_key_lines_follow_array_tables() -> None:
    lines = key_lines(GOOD)
    assert lines[("briefings", 0, "schedule")] == 7
    assert lines[("briefings", 0, "fetch", "timeout")] == 12
    assert lines[("briefings", 1, "name")] == 15


def test_example_config_is_valid() -> None:
    cfg = load_config(ROOT / "examples" / "briefings.toml")
    (b,) = cfg.briefings
    assert b.sources == [str(ROOT / "seeds")]
    assert cfg.reports_dir == ROOT / "reports"
    assert b.readability.max_grade == 14
