"""Events from made-up sentences, with hand-made mentions and dates (no gazetteer needed)."""
from datetime import date

import pytest

from core.extract.dates import find_dates
from core.extract.events import EventMention, extract_events, merge_duplicates, resolve_sentence_dates
from core.extract.nlp import load_nlp
from core.model import Actor, DateMention, Mention, Place

STATES = {"Russia": "RUS", "North Korea": "PRK", "Ukraine": "UKR", "China": "CHN"}
PLACES = {"Pyongyang", "Moscow", "Vladivostok", "Khabarovsk", "Wonsan"}


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def mentions_for(text: str, names: dict[str, str]) -> list[Mention]:
    """Mentions of each surface -> canonical name in `names`, found by plain search."""
    out = []
    for surface, name in names.items():
        start = text.find(surface)
        assert start >= 0, surface
        if name in PLACES:
            out.append(Mention("place", name, surface, start, start + len(surface), place=Place(name)))
        elif name in STATES:
            out.append(Mention("actor", name, surface, start, start + len(surface),
                               actor=Actor(name, "state", STATES[name], STATES[name])))
        else:
            out.append(Mention("actor", name, surface, start, start + len(surface), actor=Actor(name, "person")))
    return out


def date_at(text: str, surface: str, d: date, precision: str = "day") -> DateMention:
    start = text.index(surface)
    return DateMention(start, start + len(surface), surface, d, precision)


def run(nlp, text, names, dates=(), published=None, precision=None):
    doc = nlp(text)
    return extract_events(doc, mentions_for(text, names), {0: list(dates)},
                          published=published, published_precision=precision)


def summary(events):
    return [(e.type, e.date, e.status, e.origin, e.destination) for e in events]


def resolved_dates(nlp, text: str, ref: date) -> dict:
    """Each date expression of the one-sentence `text` -> its date, resolved against `ref` with
    the tense of its own verb."""
    return {d.text: d.date for d in resolve_sentence_dates(nlp(text)[:], ref, find_dates)}


def test_events_visit_with_destination_and_date(nlp):
    text = "Foreign Minister Ivan Petrov arrived in Pyongyang on March 3 for talks."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Pyongyang": "Pyongyang"},
                 [date_at(text, "March 3", date(2025, 3, 3))])
    visit = [e for e in events if e.type == "visit"]
    assert summary(visit) == [("visit", date(2025, 3, 3), "reported", None, "Pyongyang")]
    assert ("Ivan Petrov", "source") in visit[0].actors


def test_events_departure_sets_origin(nlp):
    text = "The delegation departed Moscow on Monday."
    events = run(nlp, text, {"Moscow": "Moscow"}, [date_at(text, "Monday", date(2025, 4, 7))])
    assert summary(events) == [("visit", date(2025, 4, 7), "reported", "Moscow", None)]


def test_events_each_date_of_a_list_is_an_event(nlp):
    text = "Officials said Russia struck Ukraine with ballistic missiles on Dec. 30, Jan. 2, and Jan. 6."
    dates = [date_at(text, "Dec. 30", date(2023, 12, 30)), date_at(text, "Jan. 2", date(2024, 1, 2)),
             date_at(text, "Jan. 6", date(2024, 1, 6))]
    events = run(nlp, text, {"Russia": "Russia", "Ukraine": "Ukraine"}, dates)
    strikes = [e for e in events if e.type == "strike"]
    assert [e.date for e in strikes] == [date(2023, 12, 30), date(2024, 1, 2), date(2024, 1, 6)]
    assert ("Russia", "source") in strikes[0].actors and ("Ukraine", "target") in strikes[0].actors
    # the statement has no date of its own: the strike dates are not its dates
    assert [e.date for e in events if e.type == "statement"] == [None]


def test_events_statement_date_not_given_to_reported_content(nlp):
    text = "On April 2, the ministry reported that North Korea had shipped shells to Russia."
    events = run(nlp, text, {"North Korea": "North Korea", "Russia": "Russia"},
                 [date_at(text, "April 2", date(2025, 4, 2))])
    by_type = {e.type: e for e in events}
    assert by_type["statement"].date == date(2025, 4, 2)
    assert by_type["transfer"].date is None
    assert by_type["transfer"].origin == "North Korea" and by_type["transfer"].destination == "Russia"


@pytest.mark.parametrize("text, status", [
    ("The two leaders will meet in Vladivostok next month.", "planned"),
    ("Pyongyang is suspected of having supplied artillery shells to Moscow.", "alleged"),
    ("China denied that it supplied drones to Russia.", "denied"),
    ("The ministers met in Khabarovsk.", "reported"),
])
def test_events_status(nlp, text, status):
    events = [e for e in run(nlp, text, {}) if e.type != "statement"]
    assert events and events[0].status == status


def test_events_present_perfect_is_dated_to_publication(nlp):
    text = "Sergei Ivanov has arrived in Pyongyang for a two-day visit."
    events = run(nlp, text, {"Sergei Ivanov": "Sergei Ivanov", "Pyongyang": "Pyongyang"},
                 published=date(2025, 5, 2), precision="day")
    assert (events[0].type, events[0].date, events[0].destination) == ("visit", date(2025, 5, 2), "Pyongyang")


def test_events_habitual_present_perfect_stays_undated(nlp):
    text = "Western governments have repeatedly accused North Korea of supplying Russia."
    events = run(nlp, text, {"North Korea": "North Korea", "Russia": "Russia"},
                 published=date(2025, 5, 2), precision="day")
    assert [e.date for e in events] == [None] * len(events)


def test_events_anaphoric_sentence_inherits_previous_date(nlp):
    text = "Putin visited Pyongyang in 2000. Back then, Putin met with Kim Jong Il."
    events = run(nlp, text, {"Putin": "Vladimir Putin", "Pyongyang": "Pyongyang", "Kim Jong Il": "Kim Jong Il"},
                 [date_at(text, "2000", date(2000, 1, 1), "year")])
    assert [(e.type, e.date) for e in events] == [("visit", date(2000, 1, 1)), ("meeting", date(2000, 1, 1))]


def test_events_transport_between_two_places(nlp):
    text = "The governor announced the resumption of passenger trains between Vladivostok and Khabarovsk."
    events = run(nlp, text, {"Vladivostok": "Vladivostok", "Khabarovsk": "Khabarovsk"})
    transport = [e for e in events if e.type == "transport"]
    assert [(e.origin, e.destination) for e in transport] == [("Vladivostok", "Khabarovsk")]


def test_events_clause_on_a_date_takes_that_date(nlp):
    text = "Tourists have come since 2023, when North Korea reopened its border."
    events = run(nlp, text, {"North Korea": "North Korea"}, [date_at(text, "2023", date(2023, 1, 1), "year")])
    assert [(e.type, e.date) for e in events if e.type == "other"] == [("other", date(2023, 1, 1))]


def test_events_non_finite_time_clause_shares_a_coarse_date(nlp):
    text = "Last month, after meeting with a Chinese delegation, the governor announced new flights."
    events = run(nlp, text, {}, [date_at(text, "Last month", date(2025, 4, 1), "month")])
    assert sorted((e.type, e.date) for e in events if e.date) == [
        ("meeting", date(2025, 4, 1)), ("statement", date(2025, 4, 1))]


def test_events_headings_get_no_publication_date(nlp):
    text = "Minister visits arms factories amid criticism\n\nThe minister has arrived in Moscow."
    events = run(nlp, text, {"Moscow": "Moscow"}, published=date(2025, 5, 2), precision="day")
    assert [(e.date, e.destination) for e in events] == [(None, None), (date(2025, 5, 2), "Moscow")]


def ev(type_, d, precision="day", actors=(), destination=None, soft=False):
    return EventMention(type_, None, None, d, precision, actors=list(actors), destination=destination, soft_date=soft)


@pytest.mark.parametrize("events, kept", [
    # a month-level mention of the visit dated to the day later on: one visit
    ([ev("visit", date(2024, 1, 1), "month", destination="Russia"),
      ev("visit", date(2024, 1, 15), destination="Russia")], [1]),
    # a year-level summit with no actors is the dated summit told again
    ([ev("meeting", date(2023, 1, 1), "year"), ev("meeting", date(2023, 9, 1), "month", [("A", "source")])], [1]),
    # statements by different speakers in the same month are two events
    ([ev("statement", date(2024, 1, 1), "month", [("White House", "source")]),
      ev("statement", date(2024, 1, 14), actors=[("KCNA", "source")])], [0, 1]),
    # present-tense news of the day repeats a departure dated the day before
    ([ev("visit", date(2024, 2, 13), soft=True), ev("visit", date(2024, 2, 12))], [1]),
    # but not one from months earlier
    ([ev("visit", date(2024, 2, 13), soft=True), ev("visit", date(2023, 9, 12))], [0, 1]),
    # different types never merge
    ([ev("visit", date(2024, 1, 1), "month"), ev("meeting", date(2024, 1, 15))], [0, 1]),
    # two travellers to one city in one month: two visits
    ([ev("visit", date(2024, 3, 1), "month", [("A", "source")], destination="Pyongyang"),
      ev("visit", date(2024, 3, 21), actors=[("B", "source")], destination="Pyongyang")], [0, 1]),
])
def test_events_merge_duplicates(events, kept):
    assert merge_duplicates(events) == [events[i] for i in kept]


@pytest.mark.parametrize("text, type_", [
    ("Russia launched ballistic missiles at Odesa overnight.", "strike"),
    ("North Korea launched a reconnaissance satellite.", "other"),
])
def test_events_aimed_launch_is_a_strike(nlp, text, type_):
    assert [e.type for e in run(nlp, text, {})] == [type_]


def test_events_according_to_source_is_not_a_party(nlp):
    text = "A drone hit a school in Sumy on May 3, according to governor Ivan Petrov."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov"}, [date_at(text, "May 3", date(2025, 5, 3))])
    assert [(e.type, e.actors) for e in events] == [("strike", [])]


def test_events_each_date_takes_the_tense_of_its_verb(nlp):
    from core.extract.dates import find_dates
    from core.extract.events import resolve_sentence_dates

    doc = nlp("An envoy said last month that North Korea had supplied 60 missiles since December "
              "and will send more in March.")
    got = {d.text: d.date for d in resolve_sentence_dates(doc[:], date(2024, 11, 20), find_dates)}
    assert got == {"last month": date(2024, 10, 1), "December": date(2023, 12, 1), "March": date(2025, 3, 1)}


def test_events_light_verb_noun_takes_the_verbs_arguments(nlp):
    text = "Sergei Lavrov held talks with Choe Son Hui in the eastern port city of Wonsan."
    events = run(nlp, text, {"Sergei Lavrov": "Sergei Lavrov", "Choe Son Hui": "Choe Son Hui", "Wonsan": "Wonsan"})
    assert [(e.type, e.location, sorted(e.actors)) for e in events] == [
        ("meeting", "Wonsan", [("Choe Son Hui", "target"), ("Sergei Lavrov", "source")])]


def test_events_named_agreement_is_one_event(nlp):
    text = "The leaders signed a treaty on comprehensive strategic partnership."
    assert [e.type for e in run(nlp, text, {})] == ["agreement"]


@pytest.mark.parametrize("text", ["The treaty provides for mutual assistance.",
                                  "The army carried out drills near the border."])
def test_events_phrasal_verbs_are_not_their_bare_verb(nlp, text):
    assert [e.type for e in run(nlp, text, {})] == []


@pytest.mark.parametrize("text, type_", [
    ("North Korea fired two ballistic missiles into the sea on Wednesday.", "other"),
    ("Russia fired 40 missiles at Kharkiv overnight.", "strike"),
    ("Russian forces fired missiles overnight, killing four civilians.", "strike"),
])
def test_events_firing_is_a_strike_only_with_a_target(nlp, text, type_):
    assert [e.type for e in run(nlp, text, {})][:1] == [type_]


def test_events_reported_future_is_planned(nlp):
    text = "Peskov said that Kim would travel to Russia later this month."
    events = [e for e in run(nlp, text, {}) if e.type == "visit"]
    assert [e.status for e in events] == ["planned"]


@pytest.mark.parametrize("text", ["Both governments deny any arms trade with each other.",
                                  "The ministry has condemned the sanctions as illegal."])
def test_events_undated_statement_gets_no_publication_date(nlp, text):
    events = run(nlp, text, {}, published=date(2025, 5, 2), precision="day")
    assert events and [e.date for e in events] == [None] * len(events)


@pytest.mark.parametrize("text, types", [
    ("The army sent about 2,000 troops to the border region.", ["other"]),
    ("Engineers were deployed to the front in May.", ["other"]),
    ("The company sold attack drones and spare parts to the militia.", ["transfer"]),
    ("The state firm shipped 90,000 barrels of diesel to the port.", ["other"]),
    ("The ministry gave no details.", []),
    ("The director provided a tour of the plant.", []),
    ("A grain tanker arrived at the port of Nakhodka.", ["other"]),
    ("Crates of ammunition left the depot by rail.", ["transfer"]),
    ("A freight train crossed the bridge into China.", ["transport"]),
    ("The premier received the visiting delegation.", ["meeting"]),
    ("The ambassador handed a letter of protest to the deputy minister.", ["meeting"]),
])
def test_events_what_moves_decides_the_type(nlp, text, types):
    assert [e.type for e in run(nlp, text, {})] == types


def run_dated(nlp, text, ref, names=None):
    """Events of `text` with every sentence's dates found by core.extract.dates against `ref`."""
    from core.extract.dates import find_dates

    doc = nlp(text)
    dates = {s.start_char: find_dates(s.text, ref, offset=s.start_char, tense="past") for s in doc.sents}
    return extract_events(doc, mentions_for(text, names or {}), dates)


@pytest.mark.parametrize("text, want", [
    ("The governor signed the decree on March 3. The ministry confirmed the decision the following day.",
     ("statement", date(2025, 3, 4))),
    ("The envoy arrived in Moscow on March 5. Two days later, he met the deputy minister.",
     ("meeting", date(2025, 3, 7))),
    ("Lin arrived in Moscow on March 5. He met the mayor that evening.", ("meeting", date(2025, 3, 5))),
    ("The tanker loaded fuel at Nakhodka on March 8 and docked at Wonsan three days later.",
     ("other", date(2025, 3, 11))),
    ("The army recognised the new council on March 2. A week earlier, the council had met in secret.",
     ("meeting", date(2025, 2, 23))),
])
def test_events_times_told_relative_to_the_last_event(nlp, text, want):
    events = run_dated(nlp, text, date(2025, 3, 20))
    assert want in [(e.type, e.date) for e in events]


def test_events_relative_time_without_an_anchor_stays_undated(nlp):
    events = run_dated(nlp, "The ministry confirmed the decision the following day.", date(2025, 3, 20))
    assert [(e.type, e.date) for e in events] == [("statement", None)]


@pytest.mark.parametrize("text, dated", [
    ("The minister arrived in Pyongyang on Tuesday and was met at the airport by the premier.", True),
    ("The leader received the envoy on Friday and pledged closer ties.", True),
    ("Both sides deny the trade but vowed on Friday to deepen ties.", False),
    ("The envoy arrived on Tuesday, and the premier met the press.", False),
])
def test_events_coordinated_acts_of_one_subject_share_a_day(nlp, text, dated):
    events = run_dated(nlp, text, date(2025, 3, 20))
    assert len(events) == 2 and (events[0].date is not None and events[0].date == events[1].date) == dated


def test_events_since_runs_to_the_statement_day(nlp):
    text = "The agency said on March 10 that the state had shipped 5,000 shells to the rebels since January."
    events = run_dated(nlp, text, date(2025, 3, 20))
    transfer = [e for e in events if e.type == "transfer"]
    assert [(e.date, e.precision, e.date_end) for e in transfer] == [(date(2025, 1, 1), "month", date(2025, 3, 10))]


def test_events_since_without_a_dated_statement_runs_to_publication(nlp):
    from core.extract.dates import find_dates

    text = "The ministry has shipped 300 drones to the rebels since last September."
    doc = nlp(text)
    events = extract_events(doc, [], {0: find_dates(text, date(2025, 3, 20), tense="past")},
                            published=date(2025, 3, 20), published_precision="day")
    assert [(e.type, e.date, e.date_end) for e in events] == [("transfer", date(2024, 9, 1), date(2025, 3, 20))]


@pytest.mark.parametrize("text, want", [
    ("The army used drones on Monday as part of an attack on the port.", ("strike", date(2025, 3, 17))),
    ("In an interview published on Monday, the envoy praised the workers.", ("statement", date(2025, 3, 17))),
])
def test_events_date_of_a_non_event_verb_goes_to_its_event(nlp, text, want):
    assert want in [(e.type, e.date) for e in run_dated(nlp, text, date(2025, 3, 20))]


def test_events_a_number_is_no_target(nlp):
    text = "Officials put the number of soldiers sent to the front at more than 5,000."
    assert "strike" not in [e.type for e in run(nlp, text, {})]


def test_events_past_form_resolves_to_the_past_under_a_future_clause(nlp):
    from core.extract.dates import find_dates
    from core.extract.events import resolve_sentence_dates

    doc = nlp("Both deny the trade, though they have vowed to expand ties since the leaders signed the pact "
              "on June 19.")
    got = {d.text: d.date for d in resolve_sentence_dates(doc[:], date(2025, 3, 20), find_dates)}
    assert got["June 19"] == date(2024, 6, 19)


@pytest.mark.parametrize("text", [
    "The embassy did not respond to requests for comment.",
    "The spokesman did not say whom the minister would meet.",
    "Neither government said whether new contracts were signed.",
    "The general warned of war if the alliance sent missiles to the front.",
    "The importer has not yet delivered any rockets.",
])
def test_events_negated_and_hypothetical_make_no_row(nlp, text):
    kinds = [e.type for e in run(nlp, text, {})]
    assert "meeting" not in kinds and "agreement" not in kinds and "transfer" not in kinds
    assert "statement" not in kinds or text.startswith("The general")


def test_events_negated_denial_is_still_a_statement(nlp):
    assert [e.type for e in run(nlp, "The president did not deny the reports.", {})] == ["statement"]


@pytest.mark.parametrize("text, want", [
    ("The state dispatched 900 troops in October and November.",
     [("other", date(2024, 10, 1), date(2024, 11, 30))]),
    ("The firm shipped 5,000 shells between August 2023 and January 2024.",
     [("transfer", date(2023, 8, 1), date(2024, 1, 31))]),
    ("The army struck the depot on December 30 and January 2.",
     [("strike", date(2024, 12, 30), None), ("strike", date(2025, 1, 2), None)]),
])
def test_events_joined_months_are_one_period_days_are_separate(nlp, text, want):
    events = run_dated(nlp, text, date(2025, 3, 20))
    assert [(e.type, e.date, e.date_end) for e in events] == want


def test_events_noun_and_verb_of_one_visit_are_one_row(nlp):
    from core.extract.events import merge_retellings

    text = "Ivan Petrov visited Pyongyang on March 3, his first visit to the country."
    events = merge_retellings(run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Pyongyang": "Pyongyang"},
                                  [date_at(text, "March 3", date(2025, 3, 3))]))
    assert [(e.type, e.date) for e in events] == [("visit", date(2025, 3, 3))]


def test_events_retelling_in_a_later_sentence_is_kept_as_evidence(nlp):
    from core.extract.events import merge_retellings

    text = ("Ivan Petrov met Lin Bo in Moscow on Monday. "
            "Petrov told reporters the meeting went well. "
            "Their meeting on Monday between Ivan Petrov and Lin Bo lasted three hours.")
    names = {"Ivan Petrov": "Ivan Petrov", "Lin Bo": "Lin Bo", "Moscow": "Moscow"}
    doc = nlp(text)
    sents = list(doc.sents)
    dates = {sents[0].start_char: [date_at(text, "Monday", date(2025, 3, 17))],
             sents[2].start_char: [DateMention(text.rindex("Monday"), text.rindex("Monday") + 6, "Monday",
                                               date(2025, 3, 17), "day")]}
    last = text.rindex("Ivan Petrov")
    mentions = [*mentions_for(text, names),
                Mention("actor", "Ivan Petrov", "Ivan Petrov", last, last + 11, actor=Actor("Ivan Petrov", "person"))]
    events = merge_retellings(extract_events(doc, mentions, dates))
    meetings = [e for e in events if e.type == "meeting" and e.date]
    assert len(meetings) == 1
    assert meetings[0].spans() == [(sents[0].start_char, sents[0].end_char), (sents[2].start_char, sents[2].end_char)]


def test_events_statements_of_different_speakers_stay_apart(nlp):
    from core.extract.events import merge_retellings

    text = "On Monday, Ivan Petrov said talks had failed. On Monday, Lin Bo said they had not."
    doc = nlp(text)
    sents = list(doc.sents)
    dates = {s.start_char: [DateMention(s.start_char + 3, s.start_char + 9, "Monday", date(2025, 3, 17), "day")]
             for s in sents}
    names = {"Ivan Petrov": "Ivan Petrov", "Lin Bo": "Lin Bo"}
    events = merge_retellings(extract_events(doc, mentions_for(text, names), dates))
    assert sorted(n for e in events if e.type == "statement" for n, _ in e.actors) == ["Ivan Petrov", "Lin Bo"]


def test_events_described_noun_phrase_names_the_actor(nlp):
    text = "A Security Council resolution adopted in December 2017 banned the exports."
    events = run(nlp, text, {"Security Council": "United Nations Security Council"},
                 [date_at(text, "December 2017", date(2017, 12, 1), "month")])
    adopted = [e for e in events if e.trigger.lower_ == "adopted"]
    assert [(e.type, [n for n, _ in e.actors]) for e in adopted] == [("other", ["United Nations Security Council"])]


@pytest.mark.parametrize("text, statements", [
    ("Troops crossed the river near the town, the agency reported.", 0),
    ("The drones came from a factory near the coast, the report says.", 0),
    ("The minister said the drones came from a factory near the coast.", 1),
])
def test_events_source_attribution_is_no_statement(nlp, text, statements):
    assert [e.type for e in run(nlp, text, {})].count("statement") == statements


def test_events_subheading_repeating_the_body_makes_no_row(nlp):
    from core.extract.events import drop_repeats

    text = "Ministers to meet in Moscow\n\nThe two ministers met in Moscow on Monday to discuss trade."
    events = run_dated(nlp, text, date(2025, 3, 20), {"Moscow": "Moscow"})
    kept = drop_repeats(events, lambda offset: "body")
    assert [(e.type, e.date) for e in kept] == [("meeting", date(2025, 3, 17))]


@pytest.mark.parametrize("text, want", [
    ("Reacting on the day of the vote, the spokesman condemned the veto.", ("statement", date(2025, 3, 17))),
    ("The envoy landed in the capital earlier in the day.", ("visit", date(2025, 3, 17))),
])
def test_events_participle_clause_and_earlier_in_the_day(nlp, text, want):
    full = "The council voted on Monday. " + text
    assert want in [(e.type, e.date) for e in run_dated(nlp, full, date(2025, 3, 20))]


@pytest.mark.parametrize("text, types", [
    ("The institute gave the newspaper its estimate late last month.", ["statement"]),
    ("The leader presented the premier with a pair of hunting dogs.", ["other"]),
    ("The army had used 24 ballistic missiles by the end of the year.", ["strike"]),
    ("A rocket came down in a field near the village.", ["strike"]),
])
def test_events_more_object_classes(nlp, text, types):
    assert [e.type for e in run(nlp, text, {})] == types


def test_events_noun_during_a_dated_event_shares_its_date(nlp):
    text = "The leaders signed the pact on June 19 during the president's state visit."
    events = run(nlp, text, {}, [date_at(text, "June 19", date(2024, 6, 19))])
    assert sorted((e.type, e.date) for e in events) == [("agreement", date(2024, 6, 19)), ("visit", date(2024, 6, 19))]


@pytest.mark.parametrize("text, type_", [
    ("The treasury targeted three shipping firms in January.", "other"),
    ("The army targeted the depot with drones in January.", "strike"),
])
def test_events_targeting_is_a_strike_only_with_weapons(nlp, text, type_):
    assert [e.type for e in run(nlp, text, {})][:1] == [type_]


def test_events_used_to_is_past(nlp):
    text = "The treasury listed an aircraft that was used to fly rocket parts in November."
    got = resolved_dates(nlp, text, date(2025, 3, 20))
    assert got["November"] == date(2024, 11, 1)


def test_events_date_of_main_verb_skips_clauses_describing_a_noun(nlp):
    text = "In November, the agency put the number of soldiers sent abroad at 10,000."
    events = run(nlp, text, {}, [date_at(text, "November", date(2024, 11, 1), "month")])
    assert [(e.type, e.date) for e in events if e.type == "other"] in ([], [("other", None)])


def test_events_anonymous_retelling_folds_into_the_named_one(nlp):
    from core.extract.events import merge_retellings

    text = "Russia struck Ukraine with a missile on May 3. Debris came from the missile that struck a school on May 3."
    doc = nlp(text)
    sents = list(doc.sents)
    dates = {s.start_char: [DateMention(s.start_char + s.text.index("May 3"), s.start_char + s.text.index("May 3") + 5,
                                        "May 3", date(2025, 5, 3), "day")] for s in sents}
    events = merge_retellings(extract_events(doc, mentions_for(text, {"Russia": "Russia", "Ukraine": "Ukraine"}),
                                             dates))
    strikes = [e for e in events if e.type == "strike"]
    assert len(strikes) == 1 and len(strikes[0].spans()) == 2


def test_events_adviser_speaks_not_the_president(nlp):
    text = "Putin's foreign policy adviser Yuri Ushakov said the talks went well."
    events = run(nlp, text, {"Putin": "Vladimir Putin", "Yuri Ushakov": "Yuri Ushakov"})
    assert [(e.type, [n for n, _ in e.actors]) for e in events] == [("statement", ["Yuri Ushakov"])]


@pytest.mark.parametrize("text, type_, roles", [
    ("Lin Bo was received by Ivan Petrov.", "meeting", {("Ivan Petrov", "source"), ("Lin Bo", "target")}),
    ("Ivan Petrov and Lin Bo signed the accord.", "agreement", {("Ivan Petrov", "source"), ("Lin Bo", "source")}),
    ("Ivan Petrov met with Lin Bo.", "meeting", {("Ivan Petrov", "source"), ("Lin Bo", "target")}),
])
def test_events_roles_through_passives_coordination_and_prepositions(nlp, text, type_, roles):
    events = [e for e in run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Lin Bo": "Lin Bo"}) if e.type == type_]
    assert events and set(events[0].actors) == roles


def test_events_talks_between_two_actors(nlp):
    text = "Talks between Ivan Petrov and Lin Bo began in Moscow."
    events = [e for e in run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Lin Bo": "Lin Bo", "Moscow": "Moscow"})
              if e.type == "meeting"]
    assert events and {n for n, _ in events[0].actors} == {"Ivan Petrov", "Lin Bo"}


@pytest.mark.parametrize("text, want", [
    ("The exchange followed the September summit between Ivan Petrov and Lin Bo.", date(2024, 9, 1)),
    ("Their June meeting produced a trade pact.", date(2024, 6, 1)),
])
def test_events_month_naming_an_event_dates_it(nlp, text, want):
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Lin Bo": "Lin Bo"} if "Petrov" in text else {},
                 published=date(2025, 3, 20), precision="day")
    assert ("meeting", want, "month") in [(e.type, e.date, e.precision) for e in events]


def test_events_sanctions_since_a_date_are_a_period(nlp):
    from core.extract.dates import find_dates

    text = "The freighter, under sanctions since May 2022, docked at the port."
    doc = nlp(text)
    events = extract_events(doc, [], {0: find_dates(text, date(2025, 3, 20), tense="past")},
                            published=date(2025, 3, 20), published_precision="day")
    assert ("other", date(2022, 5, 1), date(2025, 3, 20)) in [(e.type, e.date, e.date_end) for e in events]


def test_events_time_clause_of_the_same_subject_shares_its_day(nlp):
    text = "The envoy arrived on Monday. Before leaving the same day, he handed a letter to the premier."
    events = run_dated(nlp, text, date(2025, 3, 20))
    assert ("meeting", date(2025, 3, 17)) in [(e.type, e.date) for e in events]


def test_events_opening_time_of_an_eventless_sentence_anchors_the_next(nlp):
    text = "In July 2023, a delegation came for the celebrations. Two months later, the leaders met in Khabarovsk."
    events = run_dated(nlp, text, date(2025, 3, 20))
    assert ("meeting", date(2023, 9, 1)) in [(e.type, e.date) for e in events]


def test_events_launch_on_a_rocket_is_no_strike(nlp):
    text = "The agency plans to send a weather satellite into space on a heavy rocket in June."
    assert "strike" not in [e.type for e in run(nlp, text, {})]


def test_events_present_verb_joined_to_a_past_one_reads_past(nlp):
    got = resolved_dates(nlp, "On Wednesday, the minister chairs the board and signed the decree.", date(2025, 3, 20))
    assert got["Wednesday"] == date(2025, 3, 19)


def test_events_relative_pronoun_subject_is_the_described_actor(nlp):
    text = "The envoy met Ivan Petrov, who said trade should grow."
    events = [e for e in run(nlp, text, {"Ivan Petrov": "Ivan Petrov"}) if e.type == "statement"]
    assert [e.actors for e in events] == [[("Ivan Petrov", "source")]]


def test_events_what_a_participant_said_then_shares_the_day(nlp):
    text = "On Monday the envoy was received by Ivan Petrov, who said trade should grow."
    events = run_dated(nlp, text, date(2025, 3, 20), {"Ivan Petrov": "Ivan Petrov"})
    assert ("statement", date(2025, 3, 17)) in [(e.type, e.date) for e in events]


@pytest.mark.parametrize("text, types", [
    ("The minister led a delegation to Pyongyang in July.", ["visit"]),
    ("The minister led the army for a decade.", []),
])
def test_events_leading_a_delegation_somewhere_is_a_visit(nlp, text, types):
    assert [e.type for e in run(nlp, text, {"Pyongyang": "Pyongyang"} if "Pyongyang" in text else {})] == types


def test_events_people_moved_to_a_place_have_a_destination(nlp):
    text = "About 2,000 soldiers moved to Khabarovsk in early May."
    events = run(nlp, text, {"Khabarovsk": "Khabarovsk"}, [date_at(text, "early May", date(2025, 5, 1), "month")])
    moved = [e for e in events if e.type == "other"]
    assert [(e.destination, e.location) for e in moved] == [("Khabarovsk", None)]


def test_events_without_named_actor_take_the_state_of_their_place(nlp):
    text = "A rocket struck Kharkiv on Tuesday."
    doc = nlp(text)
    start = text.index("Kharkiv")
    place = Mention("place", "Kharkiv", "Kharkiv", start, start + 7, place=Place("Kharkiv", "UKR"))
    events = extract_events(doc, [place], {0: [date_at(text, "Tuesday", date(2025, 3, 4))]})
    strike = [e for e in events if e.type == "strike"]
    assert [(e.location, e.actors) for e in strike] == [("Kharkiv", [("Ukraine", "target")])]


def test_events_named_actor_is_not_replaced_by_the_state_of_the_place(nlp):
    text = "Ivan Petrov arrived in Vladivostok on Tuesday."
    doc = nlp(text)
    mentions = mentions_for(text, {"Ivan Petrov": "Ivan Petrov"})
    start = text.index("Vladivostok")
    mentions.append(Mention("place", "Vladivostok", "Vladivostok", start, start + 11,
                            place=Place("Vladivostok", "RUS")))
    events = extract_events(doc, mentions, {0: [date_at(text, "Tuesday", date(2025, 3, 4))]})
    assert [e.actors for e in events if e.type == "visit"] == [[("Ivan Petrov", "source")]]


def test_events_coordinated_act_and_during_noun_share_the_place(nlp):
    text = "Ivan Petrov arrived in Wonsan on Tuesday and was welcomed at the airport by Kim Tae Song."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Wonsan": "Wonsan", "Kim Tae Song": "Kim Tae Song"},
                 [date_at(text, "Tuesday", date(2025, 3, 4))])
    assert {(e.type, e.destination, e.location) for e in events} >= {("visit", "Wonsan", None),
                                                                     ("meeting", None, "Wonsan")}
    text = "The two leaders signed the accord in Khabarovsk on May 2 during the premier's official visit."
    events = run(nlp, text, {"Khabarovsk": "Khabarovsk"}, [date_at(text, "May 2", date(2025, 5, 2))])
    assert [(e.date, e.destination) for e in events if e.type == "visit"] == [(date(2025, 5, 2), "Khabarovsk")]


def test_events_take_actors_and_places_from_references(nlp):
    from core.extract.mentions import find_mentions
    text = ("Kim Jong Un and Vladimir Putin praised the ties when they met in Vladivostok on Monday. "
            "A drone hit Odesa on Tuesday. Debris from the drone that struck the city on Tuesday fell on a school.")
    doc = nlp(text)
    dates = [date_at(text, "Monday", date(2025, 3, 3)), date_at(text, "on Tuesday", date(2025, 3, 4)),
             DateMention(text.rindex("on Tuesday"), text.rindex("on Tuesday") + 10, "on Tuesday", date(2025, 3, 4),
                         "day")]
    by_sent = {s.start_char: [d for d in dates if s.start_char <= d.start < s.end_char] for s in doc.sents}
    events = extract_events(doc, find_mentions(doc), by_sent)
    met = [e for e in events if e.trigger.lower_ == "met"]
    assert {n for n, _ in met[0].actors} >= {"Kim Jong Un", "Vladimir Putin"}
    struck = [e for e in events if e.trigger.lower_ == "struck"]
    assert [(e.location, [n for n, _ in e.actors]) for e in struck] == [("Odesa", ["Ukraine"])]


def test_events_visit_and_meeting_take_the_place_where_their_actor_is(nlp):
    text = ("Kim Jong Un received Ivan Petrov in Wonsan on Friday. Petrov flew in on Friday with his aides. "
            "Petrov arrived in Khabarovsk on Monday. On Tuesday he was welcomed by Oleg Sidorov.")
    doc = nlp(text)
    names = {"Kim Jong Un": "Kim Jong Un", "Ivan Petrov": "Ivan Petrov", "Wonsan": "Wonsan", "Khabarovsk": "Khabarovsk",
             "Oleg Sidorov": "Oleg Sidorov"}
    mentions = mentions_for(text, names)
    for surface in ("Petrov flew", "Petrov arrived"):
        start = text.index(surface)
        mentions.append(Mention("actor", "Ivan Petrov", "Petrov", start, start + 6,
                                actor=Actor("Ivan Petrov", "person")))
    start = text.index("he was")
    mentions.append(Mention("actor", "Ivan Petrov", "he", start, start + 2, actor=Actor("Ivan Petrov", "person"),
                            coref=True))
    days = {"on Friday.": date(2025, 3, 7), "on Friday with": date(2025, 3, 7), "on Monday": date(2025, 3, 10),
            "On Tuesday": date(2025, 3, 11)}
    dates = [date_at(text, k.split(" with")[0].rstrip("."), d) if k != "on Friday with"
             else DateMention(text.index(k), text.index(k) + 9, "on Friday", d, "day") for k, d in days.items()]
    by_sent = {s.start_char: [d for d in dates if s.start_char <= d.start < s.end_char] for s in doc.sents}
    events = extract_events(doc, sorted(mentions, key=lambda m: m.start), by_sent)
    got = {(e.trigger.lower_, e.date, e.destination, e.location) for e in events}
    assert ("flew", date(2025, 3, 7), "Wonsan", None) in got
    assert ("welcomed", date(2025, 3, 11), None, "Khabarovsk") in got


def test_events_a_document_speaks_for_whoever_released_it(nlp):
    text = "On Monday, an intelligence report released by Ivan Petrov said 5,000 troops had left."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov"}, [date_at(text, "Monday", date(2025, 3, 3))])
    said = [e for e in events if e.trigger.lower_ == "said"]
    assert [(e.date, e.actors) for e in said] == [(date(2025, 3, 3), [("Ivan Petrov", "source")])]


def test_events_a_date_opening_the_sentence_covers_its_coordinated_clauses(nlp):
    text = "On 3 May, the ministry confirmed that troops had left, and Ivan Petrov promised new funds."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov"}, [date_at(text, "On 3 May", date(2025, 5, 3))])
    assert [e.date for e in events if e.trigger.lower_ == "promised"] == [date(2025, 5, 3)]
    # a date inside one clause stays its own
    text = "The ministry confirmed on 3 May that troops had left, and Ivan Petrov promised new funds."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov"}, [date_at(text, "on 3 May", date(2025, 5, 3))])
    assert [e.date for e in events if e.trigger.lower_ == "promised"] == [None]


def test_events_hours_earlier_is_the_same_day(nlp):
    from core.extract.events import anaphoric_dates
    found = anaphoric_dates("Hours earlier, the army gave its own figure.", 100, (date(2025, 3, 3), "day"))
    assert [(d.text, d.date) for d in found] == [("Hours earlier", date(2025, 3, 3))]
    found = anaphoric_dates("Kyiv cut ties within hours.", 0, (date(2025, 3, 3), "day"))
    assert [(d.text, d.date) for d in found] == [("within hours", date(2025, 3, 3))]


def test_events_participle_clause_dates_take_the_tense_of_their_head(nlp):
    from core.extract.dates import find_dates
    from core.extract.events import resolve_sentence_dates
    text = "The president wrote that losses were high, citing a report he got at a meeting on Monday."
    doc = nlp(text)
    published = date(2024, 12, 24)  # a Tuesday: the Monday meant is the day before
    dates = resolve_sentence_dates(next(doc.sents), published, find_dates)
    assert [d.date for d in dates if "Monday" in d.text] == [date(2024, 12, 23)]


def test_events_a_group_acts_through_whoever_leads_or_belongs_to_it(nlp):
    text = "A delegation led by Ivan Petrov arrived in Pyongyang on Tuesday."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Pyongyang": "Pyongyang"},
                 [date_at(text, "Tuesday", date(2025, 3, 4))])
    assert [e.actors for e in events if e.type == "visit"] == [[("Ivan Petrov", "source")]]
    text = "The delegation, which included Ivan Petrov, arrived in Pyongyang on Tuesday."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Pyongyang": "Pyongyang"},
                 [date_at(text, "Tuesday", date(2025, 3, 4))])
    assert [e.actors for e in events if e.type == "visit"] == [[("Ivan Petrov", "source")]]


def test_events_a_clause_of_the_same_moment_has_its_heads_day(nlp):
    text = "Ivan Petrov told Kim Jong Un on Wednesday that ties were strong, as the two men held talks in Wonsan."
    events = run(nlp, text, {"Ivan Petrov": "Ivan Petrov", "Kim Jong Un": "Kim Jong Un", "Wonsan": "Wonsan"},
                 [date_at(text, "Wednesday", date(2025, 9, 3))])
    assert [(e.date, e.location) for e in events if e.type == "meeting"] == [(date(2025, 9, 3), "Wonsan")]


def test_events_a_movement_takes_its_route_from_a_participle_clause(nlp):
    text = "The shells left Russia by train on May 2, travelling from Wonsan to Khabarovsk."
    events = run(nlp, text, {"Russia": "Russia", "Wonsan": "Wonsan", "Khabarovsk": "Khabarovsk"},
                 [date_at(text, "May 2", date(2025, 5, 2))])
    assert [(e.origin, e.destination) for e in events if e.trigger.lower_ == "left"] == [("Russia", "Khabarovsk")]


def test_events_a_place_taken_or_part_of_it_is_where_it_happened(nlp):
    text = "Ukrainian troops seized part of Khabarovsk in August."
    events = run(nlp, text, {"Khabarovsk": "Khabarovsk"}, [date_at(text, "August", date(2024, 8, 1), "month")])
    assert [(e.type, e.location) for e in events] == [("other", "Khabarovsk")]
    text = "Ukrainian troops seized Wonsan in August."
    events = run(nlp, text, {"Wonsan": "Wonsan"}, [date_at(text, "August", date(2024, 8, 1), "month")])
    assert [(e.type, e.location) for e in events] == [("other", "Wonsan")]
