"""The pure count: descending winners, a tie at the last seat flagged (never a silent
pick), a draw of lots that settles it, unopposed categories."""

from services.elections.counting import tally


def _c(nomination_id, name=None):
    return {"nomination_id": nomination_id, "candidate_name": name or nomination_id,
            "membership_number": nomination_id.upper(), "category": "general"}


def test_totals_sum_booths():
    cast, rejected, votes = tally.totals([
        {"votes_cast": 10, "rejected": 1, "votes": {"a": 5, "b": 4}},
        {"votes_cast": 7, "rejected": 0, "votes": {"a": 1, "b": 6}}])
    assert (cast, rejected, votes) == (17, 1, {"a": 6, "b": 10})


def test_winners_in_descending_order_of_votes():
    r = tally.category_result("general", 2, [_c("a"), _c("b"), _c("c")],
                              {"a": 5, "b": 9, "c": 7}, unopposed=False)
    assert r["winners"] == ["b", "c"] and r["tie"] is None
    assert [(c["nomination_id"], c["elected"]) for c in r["candidates"]] == [
        ("b", True), ("c", True), ("a", False)]


def test_a_tie_above_the_last_seat_is_no_tie():
    r = tally.category_result("general", 3, [_c("a"), _c("b"), _c("c"), _c("d")],
                              {"a": 9, "b": 9, "c": 5, "d": 1}, unopposed=False)
    assert r["tie"] is None and sorted(r["winners"]) == ["a", "b", "c"]


def test_a_tie_at_the_last_seat_is_flagged_and_withheld():
    r = tally.category_result("general", 2, [_c("a"), _c("b"), _c("c")],
                              {"a": 9, "b": 5, "c": 5}, unopposed=False)
    assert r["winners"] is None
    assert r["tie"] == {"category": "general", "tied": ["b", "c"], "votes": 5,
                        "remaining_seats": 1}
    assert all(c["elected"] is None for c in r["candidates"])
    assert tally.check_draw(r["tie"], ["a"])["winners"].startswith("the candidates drawn")
    assert "exactly 1" in tally.check_draw(r["tie"], ["b", "c"])["winners"]
    assert tally.check_draw(r["tie"], ["c"]) == {}
    drawn = tally.category_result("general", 2, [_c("a"), _c("b"), _c("c")],
                                  {"a": 9, "b": 5, "c": 5}, unopposed=False,
                                  draw={"tied": ["c", "b"], "winners": ["c"], "note": "x"})
    assert drawn["winners"] == ["a", "c"] and drawn["draw"]["note"] == "x"
    # A draw for another set of tied candidates (figures changed since) does not count.
    stale = tally.category_result("general", 2, [_c("a"), _c("b"), _c("c")],
                                  {"a": 9, "b": 5, "c": 5}, unopposed=False,
                                  draw={"tied": ["a", "b"], "winners": ["a"], "note": "x"})
    assert stale["winners"] is None and stale["tie"]


def test_unopposed_category_elects_everyone_without_votes():
    r = tally.category_result("women", 2, [_c("w")], {}, unopposed=True)
    assert r["winners"] == ["w"] and r["vacant"] == 1 and r["polled_seats"] == 0
    assert r["candidates"][0]["votes"] is None and r["candidates"][0]["elected"]
    empty = tally.category_result("sc_st", 1, [], {}, unopposed=True)
    assert empty["winners"] == [] and empty["vacant"] == 1
