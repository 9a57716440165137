"""core.extract.cleaning: segments (title, dateline, caption, byline, boilerplate, body) and sources."""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from core.extract.cleaning import detect_source, segment_text
from core.extract.ingest import read_file
from core.model import SEGMENT_KINDS, Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "tests" / "gold"

HEAD = "Russian envoy arrives in Pyongyang for talks on trade"
BODY = ("A Russian delegation led by a deputy foreign minister arrived in Pyongyang on Monday to discuss "
        "trade, transport links and the supply of fertiliser, state media said.")
BODY2 = ("Officials from both countries are expected to sign an agreement on a new rail bridge across the "
         "Tumen River before the delegation leaves on Thursday.")


def kinds(text: str, *, title: str | None = None) -> dict[str, list[str]]:
    """{stripped line: [kinds of the segments that touch its characters]} for each non-blank line."""
    segments = segment_text(text, title=title)
    out, pos = {}, 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        touched = [s.kind for s in segments
                   if s.start < end and s.end > start and text[max(s.start, start):min(s.end, end)].strip()]
        out[line.strip()] = touched
    return out


def article(lines: list[str]) -> str:
    return "\n\n".join(lines)


def analysed(text: str) -> str:
    return Article(article_id="x", file="x.txt", title="", text=text, segments=segment_text(text)).analysed_text()


# --- structure --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    article([HEAD, "Read also: Something else", BODY, BODY2, "(END)"]),
    "",
    "one line only",
    "\n\n  \n",
    article([HEAD, "  • World", "  • Thursday, 01 Feb 2024", BODY, "Next In World", "A", "B"]),
])
def test_cleaning_segments_tile_the_text_without_changing_it(text):
    segments = segment_text(text)
    assert "".join(text[s.start:s.end] for s in segments) == text
    assert all(a.end == b.start for a, b in itertools.pairwise(segments))
    assert (segments[0].start, segments[-1].end) == ((0, len(text)) if text else (0, 0)) if segments else text == ""
    assert all(s.kind in SEGMENT_KINDS and s.reason for s in segments)


def test_cleaning_plain_article_is_title_and_body():
    text = article([HEAD, BODY, BODY2])
    assert kinds(text) == {HEAD: ["title"], BODY: ["body"], BODY2: ["body"]}


def test_cleaning_title_given_is_found_and_a_long_first_line_is_not_a_title():
    text = article(["Envoy arrives", BODY])
    assert kinds(text, title="Envoy arrives") == {"Envoy arrives": ["title"], BODY: ["body"]}
    assert kinds(BODY + "\n\n" + BODY2, title="Something else")[BODY] == ["body"]


# --- boilerplate families ---------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Read also: Kremlin confirms date of the summit",
    "READ MORE: Seoul summons Russian ambassador",
    "Also read - Missile debris found in Kharkiv",
    "See also: Timeline of the relationship",
    "Читайте также: Путин прибыл в Пхеньян",
    "Read more",
    "Continue reading",
    "Oops!",
    "Something went wrong.",
    "Please try again later.",
    "Your browser does not support the video tag.",
    "We're bringing the voice of Ukraine to the world. Support us with a one-time donation, or become a Patron!",
    "Support independent journalism in Ukraine. Become a member today.",
    "Meduza needs your help to keep reporting.",
    "Sign up for our free daily newsletter",
    "Subscribe to our Telegram channel for the latest updates",
    "Follow us on our official WhatsApp channel for breaking news alerts and key updates!",
    "Follow us on X",
    "Share this article",
    "Facebook Twitter WhatsApp Email",
    "Copy link",
    "Read the original article on The Example Herald",
    "This article was originally published by Example Press.",
    "[ⓒ Example News. All rights reserved]",
    "© 2024 Example Media. All rights reserved.",
    "Copyright 2024 The Example Post",
    "(END)",
    "/ENDS",
    "kjm/slb",
    "source site",
    "Read Comments",
    "12 comments",
    "Advertisement",
    "Story continues below advertisement",
    "Listen to this article",
    "Tags: North Korea, Russia, Diplomacy",
    "Found a typo? Select it and press Ctrl+Enter",
    "We use cookies to improve your experience.",
    "Follow AP's coverage of the war at https://example.org/hub",
    "The BBC is not responsible for the content of external sites.",
])
def test_cleaning_boilerplate_lines(line):
    text = article([HEAD, BODY, line, BODY2])
    assert kinds(text) == {HEAD: ["title"], BODY: ["body"], line: ["boilerplate"], BODY2: ["body"]}


@pytest.mark.parametrize("line", [
    "Russia has pledged to donate grain to North Korea, the ministry said on Friday after the talks ended.",
    "Seoul said it would follow the talks closely and share its findings with Washington and Tokyo.",
    "The officials did not say when the bridge would be finished, adding that more work was needed.",
])
def test_cleaning_body_sentences_with_boilerplate_words_stay_body(line):
    assert kinds(article([HEAD, BODY, line]))[line] == ["body"]


@pytest.mark.parametrize("marker", ["Next In World", "Others Also Read", "Related", "More from Reuters",
                                    "You may also like", "Most Read", "Related stories"])
def test_cleaning_everything_after_a_list_marker_is_boilerplate(marker):
    headlines = ["Canada orders firm's business to be dissolved", "Stocks surge to record highs",
                 "A longer paragraph about an unrelated topic that goes on for a while and has many words in it."]
    text = article([HEAD, BODY, BODY2, marker, *headlines])
    got = kinds(text)
    assert [got[h] for h in [marker, *headlines]] == [["boilerplate"]] * 4
    assert got[BODY2] == ["body"]


def test_cleaning_list_marker_before_any_body_does_not_swallow_the_article():
    text = article([HEAD, "Related", BODY, BODY2])
    assert kinds(text)[BODY2] == ["body"]


def test_cleaning_truncated_teaser_repeating_a_paragraph_is_boilerplate():
    teaser = BODY[:70].rsplit(" ", 1)[0] + "..."
    got = kinds(article([HEAD, teaser, "14 Jan, 2024", BODY, BODY2]))
    assert (got[teaser], got[BODY]) == (["boilerplate"], ["body"])


def test_cleaning_line_ending_in_ellipsis_without_a_repeat_stays_body():
    line = "Asked whether weapons were discussed, the spokesman said only that talks went well..."
    assert kinds(article([HEAD, BODY, line]))[line] == ["body"]


def test_cleaning_repeated_title_and_repeated_lines_are_boilerplate():
    text = article([HEAD, "Korea-Russia ties", BODY[:40], "Korea-Russia ties", HEAD, BODY])
    segments = segment_text(text)
    second_title = text.index(HEAD, 1)
    assert [(s.kind, s.reason) for s in segments if s.start <= second_title < s.end] \
        == [("boilerplate", "repeated title")]
    assert kinds(text)["Korea-Russia ties"] == ["boilerplate"]


@pytest.mark.parametrize("tag", ["• World", "  • Politics", "Asia-Pacific", "N Korea-Russia visit"])
def test_cleaning_section_tags_under_the_title_are_boilerplate(tag):
    assert kinds(article([HEAD, tag, BODY]))[tag.strip()] == ["boilerplate"]


# --- datelines, captions, bylines -------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Status: 18.06.2024 21:44", "| 2024-02-13 11:47:28", "• Thursday, 01 Feb 2024", "14 Jan, 2024",
    "June 18, 2024", "Updated: June 18, 2024 9:30 a.m. EST", "2024/06/18", "Posted 3 hours ago",
    "2024-06-18T21:44:00+09:00", "Published 18 June 2024, 14:52 GMT",
])
def test_cleaning_date_lines_are_datelines(line):
    assert kinds(article([HEAD, line, BODY]))[line.strip()] == ["dateline"]


@pytest.mark.parametrize("line, parts", [
    ("▲ This photo shows the delegation at the airport in Pyongyang. (Yonhap)", ["caption", "byline"]),
    # an archive picture is kept for display but not analysed
    ("FILE PHOTO: A view of the Kremlin in Moscow, Russia June 24, 2023. REUTERS/Anna Example/File Photo",
     ["boilerplate", "byline"]),
    ("Photo: Kim Jong Un greets the visitors at the station", ["caption"]),
    ("North Korea (illustrative photo)", ["caption"]),
    ("In this photo released by the Korean Central News Agency, leaders shake hands. (KCNA via AP)",
     ["caption", "byline"]),
    ("The two leaders walk past an honour guard in Pyongyang. (AP Photo/Jane Example)", ["caption", "byline"]),
    ("The delegation arrives at the airport. KCNA via REUTERS", ["caption", "byline"]),
    ("Leaders at a ceremony in Pyongyang. (Jane Example, Sputnik, Kremlin Pool Photo via AP)", ["caption", "byline"]),
    ("Image caption, The leaders met at the airport", ["caption"]),
    ("▲ A photo carried by state media on Feb. 13. (For Use Only in the Republic of Korea. No Redistribution) (Yonhap)",
     ["caption", "boilerplate", "byline"]),
])
def test_cleaning_captions_keep_their_text_and_credits_are_bylines(line, parts):
    assert kinds(article([HEAD, BODY, line, BODY2]))[line] == parts


@pytest.mark.parametrize("line", [
    "(Writing by Anna Example; editing by John Sample)",
    "Reporting by Jane Example in Seoul; Editing by Tom Sample",
    "Additional reporting by Kim Example",
    "By Anna Example and Tom Sample",
    "BY HYUNG-JIN EXAMPLE, Associated Press",
    "Associated Press writer Jane Example in Tokyo contributed to this report.",
    "reporter@example.co.kr",
    "김예시",
    "Edited by: Jane Example",
    "Story by Ivan Example",
    "REUTERS/Anna Example",
])
def test_cleaning_credit_lines_are_bylines(line):
    assert kinds(article([HEAD, BODY, line, BODY2]))[line] == ["byline"]


def test_cleaning_lone_author_name_under_the_title_is_a_byline():
    got = kinds(article([HEAD, "Maria Example", BODY]))
    assert got == {HEAD: ["title"], "Maria Example": ["byline"], BODY: ["body"]}


@pytest.mark.parametrize("line, parts", [
    ("Maria Example   July 25, 2023", ["byline", "dateline"]),
    ("By Maria Example | June 18, 2024 | 3 min read", ["byline", "dateline", "boilerplate"]),
    ("World • Thursday, 01 Feb 2024", ["boilerplate", "dateline"]),
])
def test_cleaning_compound_header_lines_are_split_into_their_parts(line, parts):
    assert kinds(article([HEAD, line, BODY]))[line] == parts


def test_cleaning_inline_credit_at_the_end_of_a_paragraph_is_a_byline():
    line = BODY + " (Reporting by Jane Example; Editing by Tom Sample)"
    assert kinds(article([HEAD, line]))[line] == ["body", "byline"]


@pytest.mark.parametrize("lead, dateline", [
    ("SEOUL, Feb. 13 (Yonhap) -- ", "SEOUL, Feb. 13"),
    ("MOSCOW (Reuters) - ", "MOSCOW"),
    ("KYIV, Ukraine (AP) — ", "KYIV, Ukraine"),
    ("MOSCOW, June 18. /TASS/. ", "MOSCOW, June 18"),
    ("SEOUL: ", "SEOUL"),
])
def test_cleaning_agency_dateline_place_and_date_are_a_dateline_and_the_agency_stays(lead, dateline):
    text = article([HEAD, lead + BODY])
    got = [(text[s.start:s.end], s.kind) for s in segment_text(text) if s.kind == "dateline"]
    assert got == [(dateline, "dateline")]
    assert "Yonhap" not in lead or "(Yonhap)" in analysed(text)


@pytest.mark.parametrize("line", [
    "USA: Missiles and ammunition delivered to Russia",
    "Putin: We will respond to this with everything we have, and there will be no limits on it at all.",
])
def test_cleaning_headings_with_a_colon_are_not_datelines(line):
    text = article([HEAD, BODY, line])
    assert [s for s in segment_text(text) if s.kind == "dateline"] == []


def test_cleaning_line_tests_are_written_in_lower_case():
    """Line tests run on the lowercased line: an upper-case letter in one could never match."""
    data = json.loads((ROOT / "core" / "data" / "boilerplate.json").read_text(encoding="utf-8"))
    tests = [r for key in ("line_rules", "byline_rules") for r in data[key]]
    tests += [{"pattern": p} for key in ("tail_markers", "weak_tail_markers", "caption_starts", "caption_contains")
              for p in data[key]]
    upper = [t["pattern"] for t in tests if not t.get("case_sensitive")
             and re.search(r"[A-ZА-ЯÄÖÜ]", re.sub(r"\\.|\(\?P<\w+>", "", t["pattern"]))]
    assert upper == []


# --- sources ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, source", [
    ([HEAD, "SEOUL, Feb. 13 (Yonhap) -- " + BODY], "Yonhap"),
    ([HEAD, "MOSCOW (Reuters) - " + BODY], "Reuters"),
    ([HEAD, "WASHINGTON (AP) — " + BODY], "AP"),
    ([HEAD, "SEOUL, June 19 (AFP) - " + BODY], "AFP"),
    ([HEAD, "MOSCOW, June 18. /TASS/. " + BODY], "TASS"),
    ([HEAD, "(CNN) — " + BODY], "CNN"),
    ([HEAD, BODY, "Read the original article on The Example Herald"], "The Example Herald"),
    ([HEAD, "SEOUL (Yonhap) -- " + BODY, "Read the original article on The Example Herald"], "Yonhap"),
    ([HEAD, BODY, "This article was originally published on Example Review."], "Example Review"),
    ([HEAD, BODY, "© 2024 The Associated Press. All rights reserved."], "AP"),
    ([HEAD, BODY, BODY2], None),
    ([HEAD, "▲ Delegates at the airport in Pyongyang. (Yonhap)", BODY], None),  # a photo credit is not the source
    ([HEAD, "SEOUL: " + BODY], None),
])
def test_cleaning_detect_source(lines, source):
    text = article(lines)
    assert detect_source(text, segment_text(text)) == source


# --- the seeds --------------------------------------------------------------------------------

SEED_NOT_ANALYSED = [
    "Read also", "Oops", "Something went wrong", "one-time donation", "Read the original article",
    "The New Voice of Ukraine", "(END)", "K-VIBE", "김수연", "No Redistribution", "Felix Light", "Guy Faulconbridge",
    "Evgenia Novozhenina", "Next In World", "Canada orders TikTok", "Obama congratulates Trump",
    "children under 16", "Others Also Read", "Follow us on", "source site", "Read Comments",
    "state media reported Sunday, with...", "Status:", "2024-02-13 11:47:28", "01 Feb 2024",
]


@pytest.fixture(scope="module")
def seed_articles():
    out = []
    for path in SEEDS:
        (art,), errors = read_file(path)
        assert errors == []
        out.append(art)
    return out


def test_cleaning_seed_boilerplate_is_not_analysed(seed_articles):
    leaked = [(a.file, s) for a in seed_articles for s in SEED_NOT_ANALYSED if s in a.analysed_text()]
    assert leaked == []


def test_cleaning_seed_gold_not_actors_and_not_quantities_are_not_analysed(seed_articles):
    leaked = []
    for art in seed_articles:
        gold = json.loads((GOLD / (Path(art.file).stem + ".gold.json")).read_text(encoding="utf-8"))
        leaked += [(art.file, s) for s in gold.get("not_actors", []) + gold.get("not_quantities", [])
                   if s in art.analysed_text()]
    assert leaked == []


def test_cleaning_seed_gold_evidence_stays_analysed(seed_articles):
    missing = []
    for art in seed_articles:
        gold = json.loads((GOLD / (Path(art.file).stem + ".gold.json")).read_text(encoding="utf-8"))
        evidence = [q["evidence"] for q in gold["quantities"]] + [e["evidence"] for e in gold["events"]]
        missing += [(art.file, e) for e in evidence if e and e in art.text and e not in art.analysed_text()]
    assert missing == []


def test_cleaning_file_photo_caption_is_not_analysed():
    text = ("Envoy to visit Seoul\n\n"
            "FILE PHOTO: A view of Red Square in Moscow, Russia June 24, 2023. REUTERS/Jane Roe\n\n"
            "The envoy will visit Seoul next week, officials said.\n")
    kinds = {text[s.start:s.end].strip()[:10]: s.kind for s in segment_text(text)}
    assert kinds["FILE PHOTO"] == "boilerplate"


# --- page furniture by line shape (made-up outlets and lines) -----------------------------------

def title_of(text: str, title: str | None = None) -> str | None:
    return next((text[s.start:s.end].strip() for s in segment_text(text, title=title) if s.kind == "title"), None)


def test_cleaning_headline_below_masthead_nav_and_ticker():
    lines = ["THE EXAMPLE TIMES", "Home | World | Asia | Opinion", "EUR/USD 1.08 ▲0.2%   Gold $2,041.5",
             "Diplomacy", HEAD, "Berlin • 3 March 2024, 09:15 • Jane Roe", "5 min read · 1,204 views", BODY, BODY2]
    text = article(lines)
    got = kinds(text)
    assert title_of(text) == HEAD
    assert got["THE EXAMPLE TIMES"] == got["Diplomacy"] == ["boilerplate"]
    assert set(got["Home | World | Asia | Opinion"]) == {"boilerplate"}
    assert got["EUR/USD 1.08 ▲0.2%   Gold $2,041.5"] == ["boilerplate"]
    assert got["Berlin • 3 March 2024, 09:15 • Jane Roe"] == ["boilerplate", "dateline", "byline"]
    assert got["5 min read · 1,204 views"] == ["boilerplate"]
    assert got[BODY] == got[BODY2] == ["body"]


@pytest.mark.parametrize("masthead", ["The Example Courier", "EXAMPLE WIRE", "Example Daily | Analysis | Podcasts"])
def test_cleaning_short_masthead_is_not_taken_for_the_headline(masthead):
    text = article([masthead, "Federal news service", HEAD, BODY])
    assert title_of(text) == HEAD
    assert "Federal news service" not in analysed(text)


def test_cleaning_short_first_line_is_the_headline_when_no_longer_one_follows():
    text = article(["Envoy arrives", "Jane Roe", BODY])
    assert title_of(text) == "Envoy arrives"


def test_cleaning_text_that_starts_with_its_lead_has_no_headline():
    text = article([BODY, BODY2])
    assert title_of(text) is None
    assert kinds(text)[BODY] == ["body"]


def test_cleaning_lead_repeating_a_long_headline_stays_analysed():
    lead = "A Russian delegation arrived in Pyongyang on Monday for talks on trade and transport links."
    text = article([lead, "June 18, 2024", lead, BODY2])
    segments = segment_text(text, title=lead)
    second = text.index(lead, 1)
    assert [s.kind for s in segments if s.start <= second < s.end] == ["body"]
    assert title_of(text, title=lead) == lead


@pytest.mark.parametrize("line", [
    "Views: 2,431 | Comments: 14 | 4 min",
    "Shared 1,200 times",
    "Reading time: 7 minutes",
    "1.2k views · 33 comments",
    "Comments (6)",
    "Share: 12 reposts · 4 comments",
    "Facebook 41 | X 17 | Comments 6",
    "7 stories",
    "Gallery · 12 photos",
    "USD/JPY 151.20 ▼0.35 | Nikkei 39,100.25 ▲1.1%",
    "Official rates: USD 92.10 | EUR 99.80",
    "KOSPI 2,600.10 (+0.5%)   KOSDAQ 850.2 (-0.1%)",
    "Newsletter: The Example Brief lands in 12,000 inboxes every Monday. Subscribe",
    "The Morning Five: five stories before 9 a.m. Sign up",
    "Subscribe to Example News on Telegram: already 40,000 readers",
    "Get the Daily Example: our top stories, free in your inbox.",
    "(c) Example Review. Republishing permitted with attribution.",
    "Accept all | Reject | Cookie settings",
])
def test_cleaning_counts_tickers_newsletters_are_boilerplate(line):
    text = article([HEAD, BODY, line, BODY2])
    assert set(kinds(text)[line]) == {"boilerplate"}


@pytest.mark.parametrize("line", [
    "Tom Sample, Moscow Correspondent",
    "By Jane Roe, Europe correspondent",
    "Jane Roe covers energy and shipping for The Example Review. Views are her own.",
])
def test_cleaning_author_lines_and_bios_are_bylines(line):
    assert kinds(article([HEAD, BODY, line, BODY2]))[line] == ["byline"]


@pytest.mark.parametrize("line", [
    "The delegation will meet officials from 3 ministries, the embassy said on Monday.",
    "Trade rose 5.1% to $28 million in the first 10 months of the year, customs data showed.",
    "Russia: 3 ships, 2 trains",
])
def test_cleaning_story_lines_with_numbers_stay_body(line):
    assert kinds(article([HEAD, BODY, line, BODY2]))[line] == ["body"]


def test_cleaning_headline_list_after_the_story_is_boilerplate_with_its_label():
    items = ["- Storm closes schools in 3 provinces", "- Central bank holds rates at 4%", "- Example FC wins cup final"]
    text = article([HEAD, BODY, BODY2, "Elsewhere today", *items, "© Example Media"])
    got = kinds(text)
    assert [got[x] for x in ["Elsewhere today", *items]] == [["boilerplate"]] * 4
    assert got[BODY2] == ["body"]


def test_cleaning_numbered_most_read_list_is_boilerplate():
    items = ["1 Example Corp to invest 2 trillion won in new plant", "2 Minister vows to ease burden on merchants",
             "3 Apartment prices rise for 8th straight week"]
    got = kinds(article([HEAD, BODY, BODY2, "[Popular now]", *items]))
    assert [got[i] for i in items] == [["boilerplate"]] * 3


def test_cleaning_lists_inside_the_story_stay_body():
    items = ["- 11,000 troops sent in October", "- 3,000 more in January"]
    facts = ["- The first group arrived in October.", "- A second group followed in January."]
    inside = kinds(article([HEAD, BODY, "Key figures", *items, BODY2]))
    assert [inside[i] for i in items] == [["body"]] * 2
    at_end = kinds(article([HEAD, BODY, BODY2, "What we know", *facts]))
    assert [at_end[f] for f in facts] == [["body"]] * 2


@pytest.mark.parametrize("line, parts", [
    ("Workers load a cargo ship at a port. Photo by Jane Roe", ["caption", "byline"]),
    ("A port seen in a satellite image. Courtesy of Example Labs; graphic by Tom Sample", ["caption", "byline"]),
    ("Tanks on parade in a file photo. Photo: Tom Sample / Example", ["boilerplate", "byline"]),
    ("FILE - Soldiers march in a parade. (Example Photo/Jane Roe, File)", ["boilerplate", "byline"]),
    ("[PHOTO] Delegates at the airport. (Example/Jane Roe)", ["caption", "byline"]),
    ("Leaders shake hands before their talks. (Pool photo by Jane Roe) (Example)", ["caption", "byline"]),
])
def test_cleaning_caption_credits_of_many_shapes(line, parts):
    assert kinds(article([HEAD, BODY, line, BODY2]))[line] == parts


def test_cleaning_story_after_an_agency_dateline_starts_a_new_sentence():
    text = article([HEAD, "SEOUL, Feb. 13 (Example) -- " + BODY])
    got = analysed(text)
    assert "(Example)" in got and "\n" + BODY in got and "--" not in got
    assert len(got) == len(text)


@pytest.mark.parametrize("line", ["Kyiv, 19 July 2022 17:40", "SEOUL - June 3, 2024", "Example City: 03.06.2024 09:15"])
def test_cleaning_place_and_date_line_is_a_dateline_and_furniture(line):
    text = article([HEAD, line, BODY])
    assert kinds(text)[line] == ["boilerplate", "dateline"]
    assert line.split()[0].strip(",:") not in analysed(text)


def test_cleaning_author_signing_off_is_a_byline():
    assert kinds(article([HEAD, BODY, BODY2, "Jane Roe"]))["Jane Roe"] == ["byline"]


@pytest.mark.parametrize("line", [
    "By continuing to browse, you agree to our use of cookies.",
    "Republishing without written permission is prohibited.",
    "Use of materials is permitted only with a hyperlink to the source.",
    "A hyperlink to Example News is required when republishing.",
])
def test_cleaning_cookie_and_copyright_variants_are_boilerplate(line):
    assert kinds(article([HEAD, BODY, line, BODY2]))[line] == ["boilerplate"]


def test_cleaning_masthead_in_capitals_is_not_the_headline():
    text = article(["NORTH PACIFIC NEWS WIRE", HEAD, "By Jane Roe ·", BODY])
    assert title_of(text) == HEAD
    assert kinds(text)["By Jane Roe ·"] == ["byline"]


def test_cleaning_headline_found_when_the_given_title_is_not_in_the_text():
    text = article(["Example Review", HEAD, BODY])
    assert title_of(text, title="Envoy in Pyongyang | Example Review") == HEAD
    assert kinds(text, title="Something else entirely")[BODY] == ["body"]
